import { strict as assert } from 'node:assert';
import { argPath, type RunsTreeNode } from '../../../src/extension/commandArgs';

describe('command arguments', () => {
  it('reads the item a Runs tree context action passes: the run folder, or the checkpoint file', () => {
    const run: RunsTreeNode = { kind: 'run', folder: '/ws/.condensation/runs/relu-1d-20260101-120000' };
    const checkpoint: RunsTreeNode = {
      kind: 'checkpoint',
      path: '/ws/.condensation/runs/relu-1d-20260101-120000/checkpoints/step-000100.safetensors',
    };
    assert.equal(argPath(run), '/ws/.condensation/runs/relu-1d-20260101-120000');
    assert.equal(
      argPath(checkpoint),
      '/ws/.condensation/runs/relu-1d-20260101-120000/checkpoints/step-000100.safetensors',
    );
  });

  it('reads a path, a run id, and the file system path of a Uri (not its URI path)', () => {
    assert.equal(argPath('/runs/a'), '/runs/a');
    assert.equal(argPath({ runId: '/runs/b' }), '/runs/b');
    // A Windows file Uri: `path` is '/c:/runs/c', `fsPath` is 'c:\runs\c'.
    assert.equal(argPath({ scheme: 'file', path: '/c:/runs/c', fsPath: 'c:\\runs\\c' }), 'c:\\runs\\c');
  });

  it('names nothing for no argument or an unrelated one, so that the command asks', () => {
    for (const arg of [undefined, null, 7, {}, { folder: '' }, { kind: 'run' }])
      assert.equal(argPath(arg), undefined, JSON.stringify(arg));
  });
});

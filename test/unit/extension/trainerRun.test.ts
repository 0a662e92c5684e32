import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainerLaunchSpec, type TrainerOverrides } from '../../../src/extension/run/launch';
import { listPresets } from '../../../src/extension/run/presets';
import { groupGone, realRunManager, root, until } from './helpers';

/** The built-in trainer as the extension launches it (from source through tsx: no build needed). */
function trainerSpec(outDir: string, overrides: TrainerOverrides) {
  const spec = trainerLaunchSpec({
    nodePath: process.execPath,
    trainerScript: join(root, 'src', 'trainer', 'main.ts'),
    preset: 'relu-1d',
    outDir,
    backend: 'cpu',
    cwd: root,
    overrides,
  });
  return { ...spec, args: ['--require', 'tsx/cjs', ...spec.args] };
}

describe('a training run of the built-in trainer (real process, real worker)', () => {
  const manager = realRunManager();

  it('asks the built trainer for the presets of the QuickPick', async () => {
    const presets = await listPresets(process.execPath, join(root, 'dist', 'trainer.js'));
    // The five experiments issue 3 names and the phase-diagram net, each with a one-line description.
    assert.deepEqual(presets.map((p) => p.name).sort(), [
      'dropout-tanh-1d',
      'phase-relu-1d',
      'relu-1d',
      'relu-2d',
      'tanh-1d',
      'tanh-5d',
    ]);
    assert.ok(presets.every((p) => p.description.length > 10 && !p.description.includes('\n')));
  });

  it('a node that cannot be found: the error names the command and the setting to fix', async () => {
    await assert.rejects(
      listPresets('/nonexistent/node', join(root, 'dist', 'trainer.js')),
      /'\/nonexistent\/node .*--list-presets': .*ENOENT.*; set condensationLens\.nodePath to the full path of node$/,
    );
  });

  it('trains a tiny preset: every checkpoint reaches the time series with the overridden width', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cl-train-')), 'run');
    const run = manager().open({ name: 'tiny', target: { folder: dir }, preset: 'relu-1d' });
    run.launch(trainerSpec(dir, { width: 8, steps: 20, every: 5 }));
    await until(() => run.info.status !== 'running' && run.model.series('fc1').length === 5);
    assert.equal(run.info.status, 'finished', run.info.message);
    assert.equal(run.info.backend, 'cpu');
    assert.deepEqual(
      run.model.series('fc1').map((p) => p.step),
      [0, 5, 10, 15, 20],
      'a checkpoint at 0 and every 5 steps',
    );
    assert.ok(
      run.model.series('fc1').every((p) => p.neurons === 8 && p.inputDim === 2),
      'width 8, 1-D input plus bias',
    );
    assert.equal(run.info.step, 20);
    assert.ok(run.model.loss.length > 0 && run.model.loss.every((l) => l.loss >= 0));
    assert.deepEqual(run.model.problems, []);
  });

  it('stops a long run: the trainer ends cleanly and leaves no process behind', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cl-train-')), 'run');
    const run = manager().open({ name: 'long', target: { folder: dir }, preset: 'relu-1d' });
    const proc = run.launch(trainerSpec(dir, { width: 8, steps: 10_000_000, every: 5 }));
    await until(() => run.model.series('fc1').length >= 2);
    await run.stop();
    assert.equal(run.info.status, 'stopped');
    await until(() => groupGone(proc.pid!));
  });
});

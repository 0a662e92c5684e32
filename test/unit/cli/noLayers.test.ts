// A checkpoint that holds no layer (a data set saved as tensors) says so, in the CLI and in a watched run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSafetensors } from '../../../src/core/formats/safetensorsWriter';
import { realRunManager, until } from '../extension/helpers';
import { LAYER_RULES } from '../../../src/core/layers/rules';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Tensors of a data set, none of them a layer: no `.weight`/`/kernel` name, and a 1-D one. */
function datasetCheckpoint(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cl-nolayer-'));
  const file = join(dir, 'step-1.safetensors');
  writeSafetensors(file, [
    { name: 'inputs', shape: [100, 2], data: new Float32Array(200) },
    { name: 'targets', shape: [100], data: new Float32Array(100) },
  ]);
  return { dir, file };
}

describe('a checkpoint without any layer', () => {
  it('the CLI warns on stderr with the tensors it saw and the naming rules, and keeps exit code 0', () => {
    const { file } = datasetCheckpoint();
    const r = spawnSync(process.execPath, [CLI, 'analyze', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stderr,
      `warning: ${file}: no layer found in its 2 tensors (inputs [100, 2] F32, targets [100] F32); ` +
        'a layer is named <layer>.weight (PyTorch, safetensors) or <layer>/kernel (Keras, TF.js) or one of the ' +
        `${LAYER_RULES.length} family rules of docs/layers.md (GPT-2 c_attn, in_proj_weight, q_proj, …): ` +
        'a floating-point tensor of 2 to 5 dimensions with at least 2 neurons, not optimizer state\n',
    );
    const json = JSON.parse(spawnSync(process.execPath, [CLI, 'analyze', file, '--json'], { encoding: 'utf8' }).stdout);
    assert.deepEqual(json.checkpoints[0].noLayers.tensors, [
      { name: 'inputs', shape: [100, 2], dtype: 'F32' },
      { name: 'targets', shape: [100], dtype: 'F32' },
    ]);
  });

  describe('in a watched run', () => {
    const manager = realRunManager();
    it('the run says there is no layer, with what the checkpoint holds, instead of looking like loading', async () => {
      const { dir } = datasetCheckpoint();
      const run = manager().open({ name: 'data', target: { folder: dir } });
      await until(() => run.info.noLayers !== undefined);
      assert.match(run.info.noLayers!, /^step-1\.safetensors: no layer found in its 2 tensors \(inputs \[100, 2\] F32/);
      assert.deepEqual(run.model.problems, []);
    });
  });
});

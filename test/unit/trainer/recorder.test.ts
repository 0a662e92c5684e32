// condensationCallback: a real model.fit writes a run folder the engine reads, with Keras kernels
// stored neuron-major under their layer names.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyzeRun } from '../../../src/core/analyze';
import { useBackend } from '../../../src/core/backend';
import { openCheckpoint } from '../../../src/core/formats';
import { condensationCallback } from '../../../src/trainer/recorder';
import { tempDir } from './helpers';

/** Reads every tensor of a checkpoint: name → {shape, data}. */
async function readAll(path: string) {
  const ckpt = await openCheckpoint(path);
  const out = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  for (const t of ckpt.tensors) out.set(t.name, { shape: t.shape, data: await ckpt.read(t.name) });
  const metadata = ckpt.metadata;
  await ckpt.close();
  return { tensors: out, metadata };
}

describe('condensationCallback (condensation-lens/recorder)', function () {
  this.timeout(60_000);
  // analyzeRun switches to the engine's backend (wasm has no conv2d gradient): train on cpu each time.
  beforeEach(() => useBackend('cpu'));

  it('records a dense model.fit: checkpoints every 2 batches, neuron-major kernels, fit’s own losses', async () => {
    const dir = join(tempDir(), 'run');
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 6, inputShape: [3], activation: 'tanh', name: 'dense_1' }),
        tf.layers.dense({ units: 1, name: 'dense_2' }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const x = tf.tensor2d([0, 1, 2, 1, 0, -1, 2, 2, 0, -1, 1, 1], [4, 3]);
    const y = tf.tensor2d([1, -1, 0.5, 0], [4, 1]);
    // Full batch: each epoch is one batch, so the batch losses are the epoch losses of the history.
    const history = await model.fit(x, y, {
      epochs: 5,
      batchSize: 4,
      verbose: 0,
      callbacks: [condensationCallback({ dir, every: 2 })],
    });

    const metrics = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      metrics.map((m) => [m.step, m.epoch]),
      [
        [2, 2],
        [4, 4],
        [5, 5],
      ],
    );
    const losses = history.history.loss as number[];
    assert.deepEqual(
      metrics.map((m) => m.loss),
      [losses[1], losses[3], losses[4]],
    );

    const report = await analyzeRun(dir);
    assert.deepEqual(
      report.checkpoints.map((c) => c.step),
      [0, 2, 4, 5],
    );
    assert.deepEqual(
      report.checkpoints.map((c) => c.loss),
      [null, losses[1], losses[3], losses[4]],
    );
    const layer = report.checkpoints[3].layers.find((l) => l.name === 'dense_1');
    assert.deepEqual([layer?.neurons, layer?.inputDim], [6, 4]);

    // The last checkpoint holds the trained weights; kernel [3, 6] stored as [6, 3] with w[n][i] = kernel[i][n].
    const { tensors, metadata } = await readAll(join(dir, 'checkpoints', 'step-000005.safetensors'));
    assert.deepEqual(metadata, { epoch: '5', loss: String(losses[4]), step: '5' });
    const kernel = model.getLayer('dense_1').getWeights()[0].arraySync() as number[][];
    const stored = tensors.get('dense_1.weight')!;
    assert.deepEqual(stored.shape, [6, 3]);
    for (let n = 0; n < 6; n++)
      for (let i = 0; i < 3; i++) assert.equal(stored.data[n * 3 + i], Math.fround(kernel[i][n]));
    assert.deepEqual([...tensors.keys()], ['dense_1.weight', 'dense_1.bias', 'dense_2.weight', 'dense_2.bias']);
    assert.deepEqual(tensors.get('dense_2.weight')!.shape, [1, 6]);
  });

  it('stores a conv2d kernel [kh, kw, C_in, N] as PyTorch’s [N, C_in, kh, kw]', async () => {
    const dir = join(tempDir(), 'run');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ filters: 4, kernelSize: [3, 2], inputShape: [5, 5, 2], name: 'conv_a' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 1, name: 'head' }),
      ],
    });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await model.fit(tf.ones([2, 5, 5, 2]), tf.ones([2, 1]), {
      epochs: 1,
      verbose: 0,
      callbacks: [condensationCallback({ dir })],
    });
    const kernel = model.getLayer('conv_a').getWeights()[0].arraySync() as number[][][][];
    const { tensors } = await readAll(join(dir, 'checkpoints', 'step-000001.safetensors'));
    const stored = tensors.get('conv_a.weight')!;
    assert.deepEqual(stored.shape, [4, 2, 3, 2]);
    for (let n = 0; n < 4; n++)
      for (let c = 0; c < 2; c++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 2; j++)
            assert.equal(stored.data[((n * 2 + c) * 3 + i) * 2 + j], Math.fround(kernel[i][j][c][n]));
  });

  it('needs a folder: { dir } or CONDENSATION_LENS_RUN_DIR', () => {
    const saved = process.env.CONDENSATION_LENS_RUN_DIR;
    delete process.env.CONDENSATION_LENS_RUN_DIR;
    try {
      assert.throws(() => condensationCallback({ every: 3 }), /CONDENSATION_LENS_RUN_DIR/);
    } finally {
      if (saved !== undefined) process.env.CONDENSATION_LENS_RUN_DIR = saved;
    }
    assert.throws(() => condensationCallback({ dir: 'x', every: 0 }), /every must be a whole number/);
  });
});

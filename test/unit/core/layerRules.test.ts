// Discovery on hand-made tensor lists: budgets, overrides of the next layer, rule cases without a fixture file.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCheckpoint, analyzeCheckpointFile } from '../../../src/core/analyze';
import type { TensorInfo } from '../../../src/core/checkpoint';
import { discoverLayers, selectLayers } from '../../../src/core/layers/discover';
import { readerLimits } from '../../../src/core/formats/limits';

const { maxLayers } = readerLimits;
import { withDefaults } from '../../../src/protocol/settings';
import { useTempDir } from '../helpers/tempDir';
import { memoryCheckpoint } from './memoryCheckpoint';

const f32 = (name: string, ...shape: number[]): TensorInfo => ({ name, dtype: 'F32', shape });
const source = (
  tensors: TensorInfo[],
  format: 'safetensors' | 'pytorch' | 'tfjs' = 'pytorch',
  metadata: Record<string, string> = {},
) => ({ path: 'x.pt', format, tensors, metadata });
const summary = (tensors: TensorInfo[], overrides = {}, format?: 'safetensors' | 'tfjs') =>
  discoverLayers(source(tensors, format), overrides).map((l) => [l.name, l.kind, l.next?.name ?? null]);

const MLP = [f32('fc1.weight', 16, 3), f32('fc1.bias', 16), f32('fc2.weight', 8, 16), f32('fc3.weight', 1, 8)];

describe('layer rules on tensor lists', () => {
  it('a header of 60 000 empty layers is discovered (index by name and input size), none selected', () => {
    const tensors = Array.from({ length: 60_000 }, (_, i) => f32(`l${i}.weight`, 0, 0));
    const layers = discoverLayers(source(tensors));
    assert.equal(layers.length, 60_000);
    assert.equal(layers[0].next?.name, 'l1');
    assert.deepEqual(selectLayers(layers, [], []), []);
  });

  it('layers without inputs ([4, 0]) or without neurons are not analysed (no TF.js error on empty tensors)', async () => {
    const empty = Object.fromEntries(
      ['a', 'b', 'c'].map((n, i) => [
        `${n}.weight`,
        {
          shape: [
            [4, 0],
            [0, 4],
            [0, 0],
          ][i],
          data: [],
        },
      ]),
    );
    assert.deepEqual(await analyzeCheckpoint(memoryCheckpoint(empty), withDefaults()), []);
  });

  it(`more than maxLayers (${maxLayers}) layers are refused, naming the budget`, () => {
    const tensors = Array.from({ length: maxLayers + 1 }, (_, i) => f32(`l${i}.weight`, 2, 2));
    assert.throws(
      () => discoverLayers(source(tensors)),
      /x\.pt: has more than the 100000-layer limit \(readerLimits\.maxLayers\); analyse a part with --layer/,
    );
  });

  it('--next LAYER=NEXT and LAYER=none replace the next layer the rules chose', () => {
    assert.deepEqual(summary(MLP), [
      ['fc1', 'dense', 'fc2'],
      ['fc2', 'dense', 'fc3'],
      ['fc3', 'dense', null],
    ]);
    assert.deepEqual(summary(MLP, { fc1: 'none', fc2: 'fc3', other: 'fc1' }).slice(0, 2), [
      ['fc1', 'dense', null],
      ['fc2', 'dense', 'fc3'],
    ]);
    assert.throws(() => summary(MLP, { fc1: 'fc9' }), /the next layer set for 'fc1' is 'fc9', which is not a layer/);
    assert.throws(() => summary(MLP, { fc1: 'fc3' }), /'fc3', which takes 8 inputs, not the 16 outputs of 'fc1'/);
  });

  it('T5 v1.1 gated feed-forward: wi_0 and wi_1 → wo of the same block', () => {
    const p = 'encoder.block.0.layer.1.DenseReluDense';
    assert.deepEqual(
      summary([f32(`${p}.wi_0.weight`, 8, 4), f32(`${p}.wi_1.weight`, 8, 4), f32(`${p}.wo.weight`, 4, 8)]),
      [
        [`${p}.wi_0`, 'mlp.in', `${p}.wo`],
        [`${p}.wi_1`, 'mlp.in', `${p}.wo`],
        [`${p}.wo`, 'mlp.out', null],
      ],
    );
  });

  it('Keras kernels are transposed by their rule in every format; a graph-named layer by the layout its op reads', () => {
    const keras = [f32('dense_1/kernel:0', 4, 12), f32('dense_1/bias:0', 12)];
    for (const format of ['pytorch', 'tfjs'] as const) {
      const [l] = discoverLayers(source(keras, format));
      assert.deepEqual(
        [l.view, l.weight.order, l.weight.shape, l.bias?.tensor.name],
        ['transposed', [1, 0], [12, 4], 'dense_1/bias:0'],
      );
    }
    const named = (layout?: 'keras' | 'depthwise'): TensorInfo => ({
      ...f32('unknown_3', 3, 3, 8, 2),
      layer: { name: 'conv', ...(layout ? { layout } : {}) },
    });
    const shapes = (['keras', 'depthwise', undefined] as const).map((layout) => {
      const [l] = discoverLayers(source([named(layout)], 'tfjs'));
      return [l.name, l.weight.order, l.weight.shape];
    });
    assert.deepEqual(shapes, [
      ['conv', [3, 2, 0, 1], [2, 8, 3, 3]],
      ['conv', [2, 3, 0, 1], [16, 1, 3, 3]],
      ['conv', undefined, [3, 3, 8, 2]],
    ]);
  });

  it('grouped-query v → o needs the head counts: v [kv·hd, d] reads o [d, H·hd] as [rep·d, kv·hd]', () => {
    const p = 'model.layers.0.self_attn';
    const gqa = ['q', 'k', 'v', 'o'].map((x) => f32(`${p}.${x}_proj.weight`, x === 'k' || x === 'v' ? 8 : 16, 16));
    const vOf = (metadata: Record<string, string>, overrides = {}) =>
      discoverLayers(source(gqa, 'safetensors', metadata), overrides).find((l) => l.kind === 'attention.v')!;
    // 4 query heads of 4 (from num_attention_heads, num_key_value_heads or head_dim alone), 2 shared k/v heads.
    const counts: Record<string, string>[] = [
      { num_attention_heads: '4' },
      { num_key_value_heads: '2' },
      { head_dim: '4' },
    ];
    for (const metadata of counts) {
      const v = vOf(metadata);
      assert.equal(v.next?.name, `${p}.o_proj`);
      assert.deepEqual(
        [v.next?.weight.dims, v.next?.weight.order, v.next?.weight.shape],
        [
          [16, 2, 2, 4],
          [2, 0, 1, 3],
          [32, 8],
        ],
      );
    }
    // Without head counts, or with counts that do not fit the shapes, v has none, even when named by hand.
    assert.equal(vOf({}).next, undefined);
    assert.equal(vOf({ num_attention_heads: '4', num_key_value_heads: '1' }).next, undefined);
    assert.throws(() => vOf({}, { [`${p}.v_proj`]: `${p}.o_proj` }), /takes 16 inputs, not the 8 outputs/);
    assert.equal(vOf({ head_dim: '4' }, { [`${p}.v_proj`]: `${p}.o_proj` }).next?.weight.shape[1], 8);
  });

  it('Keras SeparableConv2D (`:0` names too): P/depthwise [C·M, 1, k, k] without bias → P with the bias', () => {
    for (const s of ['', ':0']) {
      const layers = discoverLayers(
        source([
          f32(`sep/depthwise_kernel${s}`, 3, 3, 4, 2),
          f32(`sep/pointwise_kernel${s}`, 1, 1, 8, 5),
          f32(`sep/bias${s}`, 5),
        ]),
      );
      assert.deepEqual(
        layers.map((l) => [l.name, l.weight.shape, l.bias?.tensor.name ?? null, l.next?.name ?? null]),
        [
          ['sep/depthwise', [8, 1, 3, 3], null, 'sep'],
          ['sep', [5, 8, 1, 1], `sep/bias${s}`, null],
        ],
      );
    }
  });

  it('per head without a head count: q, k and v stay whole and their view says why', () => {
    const p = 'model.layers.0.self_attn';
    const attn = ['q', 'k', 'v', 'o'].map((x) => f32(`${p}.${x}_proj.weight`, 16, 16));
    const views = discoverLayers(source(attn, 'safetensors'), {}, true).map((l) => [l.name, l.view]);
    const note = 'as stored; not per head: needs num_attention_heads or head_dim';
    assert.deepEqual(views, [
      [`${p}.q_proj`, note],
      [`${p}.k_proj`, note],
      [`${p}.v_proj`, note],
      [`${p}.o_proj`, 'as stored'],
    ]);
    const heads = discoverLayers(source(attn, 'safetensors', { head_dim: '8' }), {}, true);
    assert.deepEqual(
      selectLayers(heads, ['*.head1'], []).map((l) => [l.name, l.weight.rows, l.next?.name ?? null]),
      [
        [`${p}.q_proj.head1`, [[8, 8]], null],
        [`${p}.k_proj.head1`, [[8, 8]], null],
        [`${p}.v_proj.head1`, [[8, 8]], `${p}.o_proj`],
      ],
    );
  });

  it('norms, scalars, integer tensors and optimizer state are not layers', () => {
    const tensors = [
      f32('bn.weight', 8),
      f32('ln.weight', 8),
      f32('scale.weight'),
      { name: 'counts.weight', dtype: 'I64', shape: [3, 8] } as TensorInfo,
      f32('optimizer.state.0.exp_avg', 8, 8),
    ];
    assert.deepEqual(summary(tensors), []);
  });

  it('Hugging Face safetensors (sorted names) are read in model order: h.2 before h.10, attention before MLP', () => {
    const names = ['h.10.mlp.fc_in', 'h.10.attn.q_proj', 'h.2.mlp.fc_in', 'h.2.attn.q_proj'];
    const tensors = [
      ...names.map((n) => f32(`${n}.weight`, 4, 4)),
      ...['h.10', 'h.2'].map((b) => f32(`${b}.mlp.fc_out.weight`, 4, 4)),
    ];
    tensors.push(...['h.10', 'h.2'].map((b) => f32(`${b}.attn.v_proj.weight`, 4, 4)));
    assert.deepEqual(
      discoverLayers(source(tensors, 'safetensors')).map((l) => l.name),
      [
        'h.2.attn.q_proj',
        'h.2.attn.v_proj',
        'h.2.mlp.fc_in',
        'h.2.mlp.fc_out',
        'h.10.attn.q_proj',
        'h.10.attn.v_proj',
        'h.10.mlp.fc_in',
        'h.10.mlp.fc_out',
      ],
    );
  });
});

describe('layer settings', () => {
  it('condensationLens.layers.next must map names to names', () => {
    assert.deepEqual(withDefaults({ nextLayers: { fc1: 'none' } }).nextLayers, { fc1: 'none' });
    for (const bad of [[], { fc1: 3 }, { fc1: '' }, 'fc1=fc2'])
      assert.throws(
        () => withDefaults({ nextLayers: bad as unknown as Record<string, string> }),
        /layers\.next must map layer names to next layer names/,
      );
    assert.equal(withDefaults().includeEmbeddings, false);
  });

  it('settings can be posted to the analysis worker even when VS Code hands out layers.next as a proxy', () => {
    const fromVscode = new Proxy({ fc1: 'fc2' }, {});
    assert.deepEqual(structuredClone(withDefaults({ nextLayers: fromVscode })).nextLayers, { fc1: 'fc2' });
  });
});

describe('Keras `kernel:0` names', () => {
  const temp = useTempDir();

  it('a TF.js weight named dense_1/kernel:0 is found and transposed (hand-worked: 2 clusters)', async () => {
    const dir = temp('kernel0');
    mkdirSync(dir);
    // Kernel [D_in = 2, N = 3]: neurons (1, 0), (0, 1), (2, 0); zero bias. n0 and n2 point the same way.
    const kernel = Float32Array.from([1, 0, 2, 0, 1, 0]);
    const bias = new Float32Array(3);
    writeFileSync(join(dir, 'w.bin'), Buffer.concat([Buffer.from(kernel.buffer), Buffer.from(bias.buffer)]));
    const weights = [
      { name: 'dense_1/kernel:0', shape: [2, 3], dtype: 'float32' },
      { name: 'dense_1/bias:0', shape: [3], dtype: 'float32' },
    ];
    const model = { format: 'layers-model', modelTopology: {}, weightsManifest: [{ paths: ['w.bin'], weights }] };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
    const report = await analyzeCheckpointFile(join(dir, 'model.json'), withDefaults());
    assert.equal(report.error, null);
    const [l] = report.layers;
    assert.deepEqual(
      [l.name, l.kind, l.neurons, l.inputDim, l.clusters, l.largestCluster],
      ['dense_1', 'dense', 3, 3, 2, 2],
    );
  });
});

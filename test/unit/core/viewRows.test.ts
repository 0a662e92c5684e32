// A layer's weight a block of neuron rows at a time: the same values as its whole view (itself tested against what
// torch and NumPy wrote), and, where each neuron row is made of stored rows, never a read of the whole tensor.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Checkpoint, RowSpan } from '../../../src/core/checkpoint';
import { discoverLayers } from '../../../src/core/layers/discover';
import { viewRows } from '../../../src/core/layers/viewRows';
import { readView } from '../../../src/core/layers/views';
import { openEntry } from '../../../src/core/run';

const LAYERS = join(__dirname, '..', '..', 'fixtures', 'layers');

/** The checkpoint's reads, recorded: the tensor and the rows asked for (none: the whole tensor). */
function recorded(ckpt: Checkpoint) {
  const reads: { name: string; rows?: RowSpan }[] = [];
  return {
    reads,
    source: { read: (name: string, rows?: RowSpan) => (reads.push({ name, rows }), ckpt.read(name, rows)) },
  };
}

/** Every layer's rows, read in blocks of `block` neurons, joined: they must equal its whole view. */
async function checkLayers(file: string, perHead: boolean, block: number) {
  const ckpt = await openEntry(join(LAYERS, file));
  const byRows = new Map<string, boolean>();
  try {
    for (const layer of discoverLayers(ckpt, {}, perHead)) {
      const want = await readView(ckpt, layer.weight);
      const { reads, source } = recorded(ckpt);
      const rows = viewRows(source, layer.weight);
      assert.equal(rows.rows * rows.cols, want.length, `${file} ${layer.name}: rows × cols`);
      const got = new Float32Array(want.length);
      for (let first = 0; first < rows.rows; first += block) {
        const count = Math.min(block, rows.rows - first);
        got.set(await rows.read(first, count), first * rows.cols);
      }
      assert.deepEqual(got, want, `${file} ${layer.name} (${layer.view}) in blocks of ${block}`);
      byRows.set(layer.name, reads.length > 0 && reads.every((r) => r.rows !== undefined));
    }
  } finally {
    await ckpt.close();
  }
  return byRows;
}

describe('a layer read a block of neuron rows at a time', () => {
  for (const block of [1, 7, 64]) {
    it(`llama (as stored) in blocks of ${block}: the whole view's values, and only rows are read`, async () => {
      const byRows = await checkLayers('llama.safetensors', false, block);
      assert.ok(byRows.size > 0);
      for (const [name, rows] of byRows) assert.ok(rows, `${name} read by rows`);
    });
  }

  it('Mistral GQA per head (rows of q/k/v): the whole view, only rows read', async () => {
    const byRows = await checkLayers('mistral_gqa', true, 5);
    const heads = [...byRows.keys()].filter((name) => /\.v_proj\.head\d+$/.test(name));
    assert.ok(heads.length > 1, `per-head layers of v: ${[...byRows.keys()].join(', ')}`);
    for (const name of heads) assert.ok(byRows.get(name), `${name} read by rows`);
  });

  it('GPT-2 (fused c_attn, transposed): the whole view; its neurons are columns, so it is read whole', async () => {
    const byRows = await checkLayers('gpt2.safetensors', false, 5);
    assert.equal(byRows.get('transformer.h.0.attn.c_attn.q'), false);
  });

  it('a transposed view is read whole once for all its blocks, and let go after the last one', async () => {
    const ckpt = await openEntry(join(LAYERS, 'gpt2.safetensors'));
    try {
      const layer = discoverLayers(ckpt).find((l) => l.name === 'transformer.h.0.mlp.c_fc')!;
      const { reads, source } = recorded(ckpt);
      const rows = viewRows(source, layer.weight);
      for (let first = 0; first < rows.rows; first += 4) await rows.read(first, Math.min(4, rows.rows - first));
      assert.deepEqual(reads, [{ name: layer.weight.tensor.name, rows: undefined }]);
      await rows.read(0, 1);
      assert.equal(reads.length, 2, 'nothing held after the last block: a further read reads it again');
    } finally {
      await ckpt.close();
    }
  });

  for (const file of [
    'resnet18.pt',
    'mobilenet_v2.pt',
    'conv1d.pt',
    'conv3d.pt',
    'falcon.safetensors',
    'bert.safetensors',
    'gpt2_heads',
    'keras_names.npz',
    // TF.js Keras kernels (transposed), HWIO conv kernels and depthwise ones (transposed, then axes merged).
    '../tfjs',
    '../tfjs_conv',
    '../sets/tfjs_separable',
  ])
    it(`${file}: each layer in blocks of 3 equals its whole view`, async () => {
      const byRows = await checkLayers(file, false, 3);
      assert.ok(byRows.size > 0);
    });
});

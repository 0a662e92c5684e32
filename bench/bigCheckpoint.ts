// Checkpoints of real-model size for the benches, written tensor by tensor (never whole in memory): a GPT-2-small
// shaped safetensors file with Hugging Face's names, and one large layer inside a file of a few gigabytes.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { openEntry } from '../src/core/run';
import { discoverLayers, selectLayers } from '../src/core/layers/discover';
import type { TensorView } from '../src/core/layers/views';
import { DEFAULT_SETTINGS } from '../src/protocol/settings';

interface StreamedTensor {
  name: string;
  shape: number[];
  /** Values drawn from N(0, std²); absent: the bytes are left to the file's hole (zeros, never read). */
  std?: number;
  /** A constant instead (a LayerNorm's weight 1, biases 0). */
  constant?: number;
}

const CHUNK = 1 << 20;

/** A seeded N(0, 1) stream (xorshift32 and Box-Muller), so every run writes the same file. */
function normals(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Writes F32 safetensors tensor by tensor, in the order given; tensors without values become a hole at the end. */
function writeStreamed(path: string, tensors: StreamedTensor[]): number {
  const written = tensors.filter((t) => t.std !== undefined || t.constant !== undefined);
  const holes = tensors.filter((t) => !written.includes(t));
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const t of [...written, ...holes]) {
    const bytes = 4 * t.shape.reduce((a, b) => a * b, 1);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = JSON.stringify(header);
  const padded = json.padEnd(Math.ceil(json.length / 8) * 8, ' ');
  const fd = openSync(path, 'w');
  try {
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(padded.length));
    writeSync(fd, length);
    writeSync(fd, padded);
    const chunk = new Float32Array(CHUNK);
    const random = normals(1234);
    for (const t of written) {
      let left = t.shape.reduce((a, b) => a * b, 1);
      while (left > 0) {
        const n = Math.min(left, CHUNK);
        for (let i = 0; i < n; i++) chunk[i] = t.constant ?? random() * t.std!;
        // safetensors is little-endian, as every host these benches run on.
        writeSync(fd, new Uint8Array(chunk.buffer, 0, 4 * n));
        left -= n;
      }
    }
    ftruncateSync(fd, 8 + padded.length + offset);
  } finally {
    closeSync(fd);
  }
  return 8 + padded.length + offset;
}

/** GPT-2 small as Hugging Face saves it (12 blocks, d = 768, Conv1D weights `[in, out]`), at its initialisation. */
export function writeGpt2Small(path: string): number {
  const d = 768;
  const blocks = 12;
  const std = 0.02;
  const tensors: StreamedTensor[] = [
    { name: 'transformer.wte.weight', shape: [50257, d], std },
    { name: 'transformer.wpe.weight', shape: [1024, d], std: 0.01 },
    { name: 'transformer.ln_f.weight', shape: [d], constant: 1 },
    { name: 'transformer.ln_f.bias', shape: [d], constant: 0 },
  ];
  for (let b = 0; b < blocks; b++) {
    const p = `transformer.h.${b}`;
    // GPT-2 scales the residual projections by 1/√(2·blocks).
    const residual = std / Math.sqrt(2 * blocks);
    tensors.push(
      { name: `${p}.ln_1.weight`, shape: [d], constant: 1 },
      { name: `${p}.ln_1.bias`, shape: [d], constant: 0 },
      { name: `${p}.attn.c_attn.weight`, shape: [d, 3 * d], std },
      { name: `${p}.attn.c_attn.bias`, shape: [3 * d], constant: 0 },
      { name: `${p}.attn.c_proj.weight`, shape: [d, d], std: residual },
      { name: `${p}.attn.c_proj.bias`, shape: [d], constant: 0 },
      { name: `${p}.ln_2.weight`, shape: [d], constant: 1 },
      { name: `${p}.ln_2.bias`, shape: [d], constant: 0 },
      { name: `${p}.mlp.c_fc.weight`, shape: [d, 4 * d], std },
      { name: `${p}.mlp.c_fc.bias`, shape: [4 * d], constant: 0 },
      { name: `${p}.mlp.c_proj.weight`, shape: [4 * d, d], std: residual },
      { name: `${p}.mlp.c_proj.bias`, shape: [d], constant: 0 },
    );
  }
  return writeStreamed(
    path,
    tensors.sort((a, b) => (a.name < b.name ? -1 : 1)),
  );
}

/** One `neurons × inputs` layer `fc1` with a bias, then never-read buffers up to `totalBytes`. */
export function writeLayerInLargeFile(path: string, neurons: number, inputs: number, totalBytes: number): number {
  const tensors: StreamedTensor[] = [
    { name: 'fc1.weight', shape: [neurons, inputs], std: 1 / Math.sqrt(inputs) },
    { name: 'fc1.bias', shape: [neurons], constant: 0 },
  ];
  const buffer = 2 ** 28;
  let left = Math.floor((totalBytes - 4 * neurons * (inputs + 1)) / 4);
  for (let i = 0; left > 0; i++, left -= buffer)
    tensors.push({ name: `buffers.${i}`, shape: [Math.min(left, buffer)] });
  return writeStreamed(path, tensors);
}

/** A view as the NumPy script applies it: the stored tensor, the axis order, the neuron rows kept. */
function planView(v: TensorView) {
  return { tensor: v.tensor.name, order: v.order ?? null, rows: v.rows ?? null };
}

/**
 * The layers `analyze` computes for the checkpoint with the default settings, as views the NumPy script applies
 * to the same file (discovery is ours; the figures are computed by each side on its own).
 */
export async function layerPlan(path: string) {
  const ckpt = await openEntry(path);
  try {
    const s = DEFAULT_SETTINGS;
    const layers = selectLayers(discoverLayers(ckpt, s.nextLayers), s.layers, s.excludeLayers, s.includeEmbeddings);
    return layers.map((l) => ({
      name: l.name,
      weight: planView(l.weight),
      bias: l.bias ? planView(l.bias) : null,
      next: l.next ? planView(l.next.weight) : null,
      nextGroups: l.nextGroups,
    }));
  } finally {
    await ckpt.close();
  }
}

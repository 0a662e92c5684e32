// Layer discovery on headers of many layers: its time per layer should stay flat as the count doubles (n·log n).
import type { TensorInfo } from '../src/core/checkpoint';
import { discoverLayers } from '../src/core/layers/discover';

const COUNTS = [10_000, 20_000, 40_000, 80_000];

/** A transformer-like header: per block q, k, v, o, an MLP pair and a norm, in Hugging Face's sorted order. */
function header(layers: number): TensorInfo[] {
  const tensors: TensorInfo[] = [];
  for (let b = 0; tensors.length < layers; b++) {
    const p = `model.layers.${b}`;
    for (const n of ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj'])
      tensors.push({ name: `${p}.${n}.weight`, dtype: 'F32', shape: [8, 8] });
    tensors.push({ name: `${p}.mlp.up_proj.weight`, dtype: 'F32', shape: [16, 8] });
    tensors.push({ name: `${p}.mlp.down_proj.weight`, dtype: 'F32', shape: [8, 16] });
    tensors.push({ name: `${p}.fc.weight`, dtype: 'F32', shape: [8, 8] });
    tensors.push({ name: `${p}.input_layernorm.weight`, dtype: 'F32', shape: [8] });
  }
  return tensors.sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function benchLayers(): void {
  console.log('layers: discovery and next-layer resolution of a sorted safetensors header');
  let previous: number | undefined;
  for (const count of COUNTS) {
    const tensors = header(count);
    const t0 = performance.now();
    const found = discoverLayers({ path: 'bench', format: 'safetensors', tensors, metadata: {} }).length;
    const ms = performance.now() - t0;
    const ratio = previous === undefined ? '' : `   ${(ms / previous).toFixed(1)}× the time of half as many`;
    console.log(`  ${String(found).padStart(6)} layers ${ms.toFixed(0).padStart(7)} ms${ratio}`);
    previous = ms;
  }
}

// Which kernels a layer's products run on: small layers in plain TypeScript, so that analysing them never loads
// TF.js (its start-up costs more than their whole analysis); the rest on TF.js, its backend chosen on first use.
import { engineBackend } from '../backend';
import type { LayerWeights } from '../neurons';
import { jsKernels } from './jsKernels';
import type { Kernels } from './kernels';
import { tfKernels } from './tfKernels';

/** Multiply-adds of the layer's all-pairs product (N²·D) up to which plain TypeScript takes a few milliseconds. */
const SMALL_LAYER_WORK = 2 ** 24;

export async function kernelsFor(w: Pick<LayerWeights, 'neurons' | 'weight'>): Promise<Kernels> {
  if (w.neurons * w.weight.length <= SMALL_LAYER_WORK) return jsKernels;
  await engineBackend();
  return tfKernels;
}

// Which kernels a layer's products run on: small layers in plain TypeScript, so that analysing them never loads
// TF.js (its start-up costs more than their whole analysis); large ones on TF.js split over two threads; the rest on
// TF.js in this thread. The backend is chosen on first use.
import type { RowSource } from '../rowSource';
import { jsKernels } from './jsKernels';
import type { Kernels } from './kernels';
import { poolKernels } from './poolKernels';
import { tfKernels } from './tfKernels';
import { engineBackend } from '../backend';

/** Multiply-adds of the layer's all-pairs product (N²·D) up to which plain TypeScript takes a few milliseconds. */
const SMALL_LAYER_WORK = 2 ** 24;
/**
 * From here on (GPT-2's MLP layers, not its 768 × 768 attention) a second thread pays for its round trips. Measured
 * on 2 cores (summary, one thread / two): 768 × 768 146 / 149 ms, 1024 × 768 197 / 172, 1024 × 1024 255 / 241,
 * 2048 × 256 187 / 196, 3072 × 96 188 / 209: the crossover lies at 2^29.5 to 2^30.5 by shape.
 */
const TWO_THREAD_WORK = 2 ** 30;

/** The kernels for a layer of this weight's size. */
export async function kernelsFor(weight: Pick<RowSource, 'rows' | 'cols'>): Promise<Kernels> {
  const work = weight.rows * weight.rows * weight.cols;
  if (work <= SMALL_LAYER_WORK) return jsKernels;
  if (work >= TWO_THREAD_WORK) return poolKernels();
  await engineBackend();
  return tfKernels;
}

// A layer's view of a stored tensor: the axis order that makes it neuron-major and the neuron rows it keeps.
import type { Checkpoint, TensorInfo } from '../checkpoint';
import { permuteAxes } from '../formats/strided';

/** Neuron rows kept from a neuron-major tensor: `[start, count]` ranges over axis 0. */
export type RowRanges = readonly (readonly [number, number])[];

export interface TensorView {
  readonly tensor: TensorInfo;
  /** Axis order taking the tensor as listed to neuron-major; absent when it is neuron-major already. */
  readonly order?: readonly number[];
  /** The rows kept (a slice of a fused tensor); absent: all rows. */
  readonly rows?: RowRanges;
  /** Neuron-major shape of the view. */
  readonly shape: readonly number[];
}

/** Keras kernels `[D_in, N]` / `[k..., C_in, N]` → neuron-major `[N, D_in]` / `[N, C_in, k...]`. */
export function kerasKernelOrder(rank: number): number[] {
  return [rank - 1, rank - 2, ...Array.from({ length: rank - 2 }, (_, axis) => axis)];
}

/** A Keras / TF.js kernel by name (`dense_1/kernel`, `dense_1/kernel:0`). */
export const KERAS_KERNEL = /(^|\/)kernel(:\d+)?$/;

/** `[in, out]` (GPT-2's Conv1D) → `[out, in]`. */
export const TRANSPOSE_2D: readonly number[] = [1, 0];

export function rowCount(rows: RowRanges): number {
  return rows.reduce((sum, [, count]) => sum + count, 0);
}

/** The view of `tensor` with `order` applied, then `rows` kept. */
export function tensorView(tensor: TensorInfo, order?: readonly number[], rows?: RowRanges): TensorView {
  const permuted = order ? order.map((axis) => tensor.shape[axis]) : tensor.shape;
  return { tensor, order, rows, shape: rows ? [rowCount(rows), ...permuted.slice(1)] : permuted };
}

/** The view's values, neuron-major, C order. */
export async function readView(ckpt: Pick<Checkpoint, 'read'>, view: TensorView): Promise<Float32Array> {
  const stored = await ckpt.read(view.tensor.name);
  const data = view.order ? permuteAxes(stored, view.tensor.shape, view.order) : stored;
  if (!view.rows) return data;
  const rowSize = view.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(rowCount(view.rows) * rowSize);
  let at = 0;
  for (const [start, count] of view.rows) {
    out.set(data.subarray(start * rowSize, (start + count) * rowSize), at);
    at += count * rowSize;
  }
  return out;
}

/** `"transposed"`, `"q of X"`, … as the report's `view` field shows it. */
export function describeView(view: TensorView, part?: string, fused?: string): string {
  const how = view.order ? 'transposed' : 'as stored';
  return part ? `${part} of ${fused}${view.order ? ', transposed' : ''}` : how;
}

// A layer's view of a stored tensor: the axis order that makes it neuron-major and the neuron rows it keeps.
import type { Checkpoint, TensorInfo } from '../checkpoint';
import { permuteAxes } from '../formats/strided';

/** Neuron rows kept from a neuron-major tensor: `[start, count]` ranges over axis 0. */
export type RowRanges = readonly (readonly [number, number])[];

/**
 * How a stored tensor becomes neuron-major: as stored, `[in, out]` transposed, a Keras / TF.js kernel
 * (`[in, out]`, HWIO `[k..., in, out]`), or a depthwise kernel `[k, k, C, M]`.
 */
export type Layout = 'stored' | 'transposed' | 'keras' | 'depthwise';

export interface TensorView {
  readonly tensor: TensorInfo;
  /** The stored tensor's axes as `order` reads them (a split of its shape); absent: its shape. */
  readonly dims?: readonly number[];
  /** Axis order taking `dims` to neuron-major; absent when the tensor is neuron-major already. */
  readonly order?: readonly number[];
  /** The rows kept (a slice of a fused tensor) along the permuted axis 0; absent: all rows. */
  readonly rows?: RowRanges;
  /** Neuron-major shape of the view: the permuted axes with the rows kept, possibly merged. */
  readonly shape: readonly number[];
}

/** Keras kernels `[D_in, N]` / `[k..., C_in, N]` → neuron-major `[N, D_in]` / `[N, C_in, k...]`. */
export function kerasKernelOrder(rank: number): number[] {
  return [rank - 1, rank - 2, ...Array.from({ length: rank - 2 }, (_, axis) => axis)];
}

export function rowCount(rows: RowRanges): number {
  return rows.reduce((sum, [, count]) => sum + count, 0);
}

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** The view of `tensor` read as `dims`, with `order` applied, then `rows` kept. */
export function tensorView(
  tensor: TensorInfo,
  order?: readonly number[],
  rows?: RowRanges,
  dims: readonly number[] = tensor.shape,
): TensorView {
  const permuted = order ? order.map((axis) => dims[axis]) : dims;
  const split = dims === tensor.shape ? {} : { dims };
  return { tensor, ...split, order, rows, shape: rows ? [rowCount(rows), ...permuted.slice(1)] : permuted };
}

/** The same values under another shape of as many elements (axes merged). */
export function reshaped(view: TensorView, shape: readonly number[]): TensorView {
  if (product(shape) !== product(view.shape)) throw new Error(`cannot view [${view.shape}] as [${shape}]`);
  return { ...view, shape };
}

/** The neuron-major view a layout gives of a whole tensor. */
export function layoutView(tensor: TensorInfo, layout: Layout): TensorView {
  const rank = tensor.shape.length;
  if (layout === 'transposed' && rank === 2) return tensorView(tensor, [1, 0]);
  if (layout === 'depthwise' && rank === 4) {
    // Output channel c·M + m is one neuron over its own k × k window: [C·M, 1, k, k], as PyTorch stores it.
    const [h, w, c, m] = tensor.shape;
    return reshaped(tensorView(tensor, [2, 3, 0, 1]), [c * m, 1, h, w]);
  }
  if ((layout === 'keras' || layout === 'depthwise') && rank >= 2) return tensorView(tensor, kerasKernelOrder(rank));
  return tensorView(tensor);
}

/** The view's values, neuron-major, C order. */
export async function readView(ckpt: Pick<Checkpoint, 'read'>, view: TensorView): Promise<Float32Array> {
  const stored = await ckpt.read(view.tensor.name);
  const dims = view.dims ?? view.tensor.shape;
  const data = view.order ? permuteAxes(stored, dims, view.order) : stored;
  if (!view.rows) return data;
  const permuted = view.order ? view.order.map((axis) => dims[axis]) : dims;
  const rowSize = product(permuted.slice(1));
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

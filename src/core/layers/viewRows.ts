// A view's neuron rows a block at a time. Where each neuron row is made of whole rows of the stored tensor (the
// tensor as stored, a slice of a fused one, a head), a block is read from the file by its rows alone; a transposed
// view's neuron is a column of what is stored, so the stored tensor is read once whole and each block gathered from it.
import type { Checkpoint } from '../checkpoint';
import { contiguousStrides, gatherRange } from '../formats/strided';
import type { RowSource } from '../rowSource';
import type { TensorView } from './views';

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** The stored tensor's element ranges `[start, length]`, in order, that the view's values are made of (C order). */
function storedRanges(view: TensorView): [number, number][] {
  const dims = view.dims ?? view.tensor.shape;
  const unit = product(dims.slice(1));
  return (view.rows ?? [[0, dims[0]]]).map(([start, count]) => [start * unit, count * unit]);
}

/**
 * How rows of the view are gathered from its whole stored tensor (no permuted copy of the whole is made): rows
 * `[first, …)` fill `into`, their values in each of the view's row ranges one strided gather of the permuted tensor.
 */
function rowGatherer(view: TensorView): (stored: Float32Array, first: number, into: Float32Array) => Float32Array {
  const dims = view.dims ?? view.tensor.shape;
  const order = view.order ?? dims.map((_, axis) => axis);
  const strides = contiguousStrides(dims);
  const [shape, step] = [order.map((axis) => dims[axis]), order.map((axis) => strides[axis])];
  const rowSize = product(shape.slice(1));
  const cols = product(view.shape.slice(1));
  const ranges = view.rows ?? [[0, shape[0]]];
  return (stored, first, into) => {
    const [from, to] = [first * cols, first * cols + into.length];
    let at = 0;
    for (const [start, length] of ranges) {
      const [lo, hi] = [Math.max(from, at), Math.min(to, at + length * rowSize)];
      if (lo < hi) gatherRange(stored, shape, step, start * rowSize + lo - at, into.subarray(lo - from, hi - from));
      at += length * rowSize;
    }
    return into;
  };
}

export function viewRows(ckpt: Pick<Checkpoint, 'read'>, view: TensorView): RowSource {
  const rows = view.shape[0];
  const cols = product(view.shape.slice(1));
  const storedRow = product(view.tensor.shape.slice(1));
  const ranges = storedRanges(view);
  const byRows =
    !view.order &&
    view.tensor.shape.length > 0 &&
    storedRow > 0 &&
    cols % storedRow === 0 &&
    ranges.every(([start, length]) => start % storedRow === 0 && length % storedRow === 0);
  if (!byRows) {
    const gather = rowGatherer(view);
    let whole: Promise<Float32Array> | undefined;
    // Each block is gathered into the one before's buffer (a block is used before the next is read).
    let scratch = new Float32Array(0);
    return {
      rows,
      cols,
      async read(first, count) {
        const stored = await (whole ??= ckpt.read(view.tensor.name));
        // Blocks come in row order: after the last one the tensor is let go (a later read would read it again).
        if (first + count === rows) whole = undefined;
        if (scratch.length < count * cols) scratch = new Float32Array(count * cols);
        return gather(stored, first, scratch.subarray(0, count * cols));
      },
    };
  }
  return {
    rows,
    cols,
    async read(first, count) {
      const [from, to] = [first * cols, (first + count) * cols];
      // The parts of the block in each stored range (`at`: where the range begins among the view's values).
      const parts: { into: number; rows: [number, number] }[] = [];
      let at = 0;
      for (const [start, length] of ranges) {
        const [lo, hi] = [Math.max(from, at), Math.min(to, at + length)];
        if (lo < hi) parts.push({ into: lo - from, rows: [(start + lo - at) / storedRow, (hi - lo) / storedRow] });
        at += length;
      }
      const read = (part: (typeof parts)[number]) => ckpt.read(view.tensor.name, part.rows);
      if (parts.length === 1) return read(parts[0]);
      const out = new Float32Array(count * cols);
      for (const part of parts) out.set(await read(part), part.into);
      return out;
    },
  };
}

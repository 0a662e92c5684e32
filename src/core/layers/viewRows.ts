// A view's neuron rows a block at a time. Where each neuron row is made of whole rows of the stored tensor (the
// tensor as stored, a slice of a fused one, a head), a block is read from the file by its rows alone; a transposed
// view's neuron is a column of what is stored, so that view is read once whole and handed out in blocks.
import type { Checkpoint } from '../checkpoint';
import type { RowSource } from '../rowSource';
import { readView, type TensorView } from './views';

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** The stored tensor's element ranges `[start, length]`, in order, that the view's values are made of (C order). */
function storedRanges(view: TensorView): [number, number][] {
  const dims = view.dims ?? view.tensor.shape;
  const unit = product(dims.slice(1));
  return (view.rows ?? [[0, dims[0]]]).map(([start, count]) => [start * unit, count * unit]);
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
    let whole: Promise<Float32Array> | undefined;
    return {
      rows,
      cols,
      async read(first, count) {
        const data = await (whole ??= readView(ckpt, view));
        // Blocks come in row order: after the last one the view is let go (a later read would read it again).
        if (first + count === rows) whole = undefined;
        return data.subarray(first * cols, (first + count) * cols);
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

// Reorders elements laid out with arbitrary strides (non-contiguous torch tensors, Fortran order, Keras kernels) into C order.

/** C-order (row-major) strides of a shape, in elements. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = step;
    step *= shape[axis];
  }
  return strides;
}

/** Highest element index touched by a strided view, or -1 when it is empty. */
export function stridedExtent(shape: readonly number[], strides: readonly number[], offset: number): number {
  if (shape.some((dim) => dim === 0)) return -1;
  return shape.reduce((end, dim, axis) => end + (dim - 1) * strides[axis], offset);
}

/** The view (`shape`, `strides`, `offset` in elements of `source`) as a C-order array; `source` itself when it already is one. */
export function gatherStrided(
  source: Float32Array,
  shape: readonly number[],
  strides: readonly number[],
  offset = 0,
): Float32Array {
  const count = shape.reduce((n, dim) => n * dim, 1);
  const expected = contiguousStrides(shape);
  if (shape.every((dim, axis) => dim === 1 || strides[axis] === expected[axis])) {
    return offset === 0 && source.length === count ? source : source.slice(offset, offset + count);
  }
  return gatherRange(source, shape, strides, 0, new Float32Array(count), offset);
}

/**
 * Elements `[from, from + out.length)`, in C order, of the view (`shape`, `strides`, `offset` in elements of
 * `source`), written into `out`.
 */
export function gatherRange(
  source: Float32Array,
  shape: readonly number[],
  strides: readonly number[],
  from: number,
  out: Float32Array,
  offset = 0,
): Float32Array {
  const count = out.length;
  if (count === 0) return out;
  const rank = shape.length;
  if (rank === 0) return out.fill(source[offset]);
  // The multi-index of element `from`, and where it is in `source`.
  const index = new Array<number>(rank);
  let base = offset;
  for (let axis = rank - 1, rest = from; axis >= 0; axis--) {
    index[axis] = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
    base += index[axis] * strides[axis];
  }
  const inner = rank - 1;
  const innerDim = shape[inner];
  const innerStride = strides[inner];
  for (let o = 0; o < count;) {
    const run = Math.min(innerDim - index[inner], count - o);
    for (let i = 0, s = base; i < run; i++, s += innerStride) out[o + i] = source[s];
    o += run;
    base -= index[inner] * innerStride;
    index[inner] = 0;
    // Odometer over the outer axes.
    for (let axis = inner - 1; axis >= 0; axis--) {
      index[axis]++;
      base += strides[axis];
      if (index[axis] < shape[axis]) break;
      base -= strides[axis] * shape[axis];
      index[axis] = 0;
    }
  }
  return out;
}

/** Transposes a C-order array: axis `i` of the result is axis `order[i]` of `shape`. */
export function permuteAxes(source: Float32Array, shape: readonly number[], order: readonly number[]): Float32Array {
  const strides = contiguousStrides(shape);
  return gatherStrided(
    source,
    order.map((axis) => shape[axis]),
    order.map((axis) => strides[axis]),
  );
}

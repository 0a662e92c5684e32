// The heavy linear algebra of the engine behind one interface: TensorFlow.js ops in production,
// plain TypeScript as the benchmark baseline. Everything above this layer is written once.

/** A row-major float32 matrix living wherever the kernels keep it (TF.js backend or JS heap). */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
}

/** `[first row, rows]` of each block of a matrix, in the order its rows are given. */
export type Blocks = readonly (readonly [first: number, rows: number])[];

/** A matrix given its rows a block at a time: no whole copy of it is made outside the kernels. */
export interface MatBuilder {
  /** The blocks the kernels hold the matrix in, in the order `append` takes them. */
  readonly blocks: Blocks;
  /** Whether `append` copies the rows it is given, so that the caller may reuse their buffer for the next block. */
  readonly copies: boolean;
  /** The next block's rows, row-major; unless `copies`, the kernels own it from here on (they may keep it). */
  append(data: Float32Array): void;
  /** The matrix: called once every block is in, or early (then released) to free what was appended. */
  done(): Mat;
}

/** Blocks of `step` rows over `[from, to)`. */
export function blocksOf(from: number, to: number, step: number): [number, number][] {
  const out: [number, number][] = [];
  for (let first = from; first < to; first += step) out.push([first, Math.min(step, to - first)]);
  return out;
}

/** A row-major matrix through a builder, block by block (the data is not copied by plain kernels). */
export function uploadAll(builder: MatBuilder, data: Float32Array, cols: number): Mat {
  for (const [first, rows] of builder.blocks) builder.append(data.subarray(first * cols, (first + rows) * cols));
  return builder.done();
}

export interface Kernels {
  readonly name: string;
  /** Takes a row-major matrix (the data is not copied by plain kernels: do not mutate it after). */
  upload(data: Float32Array, rows: number, cols: number): Mat;
  /** Starts a matrix of `rows × cols` whose rows come a block at a time (read from a file while they arrive). */
  build(rows: number, cols: number): MatBuilder;
  /** Rows `index` of `m`, row-major `[index.length × m.cols]`. */
  rows(m: Mat, index: Int32Array): Float32Array;
  /**
   * Dot products of rows `index` with rows `cols` (every row when absent): `[index.length × cols.length]`, row-major;
   * written into the start of `into` when given (a buffer the caller reuses), and that part of it returned.
   */
  rowProducts(m: Mat, index: Int32Array, cols?: Int32Array, into?: Float32Array): Float32Array;
  /** `Mᵀ diag(w) M v` for a vector `v` of length `m.cols` (the Gram matrix applied, never formed; `w` = 1 when absent). */
  gramTimes(m: Mat, v: Float32Array, weights?: Float32Array): Float32Array;
  /** `M v` for a vector of length `m.cols`. */
  times(m: Mat, v: Float32Array): Float32Array;
  release(m: Mat): void;
}

// The heavy linear algebra of the engine behind one interface: TensorFlow.js ops in production,
// plain TypeScript as the benchmark baseline. Everything above this layer is written once.

/** A row-major float32 matrix living wherever the kernels keep it (TF.js backend or JS heap). */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
}

/** Writes rows `[from, to)` of a row-major matrix into `out` (`(to − from) × cols` values, every one of them). */
export type RowFill = (from: number, to: number, out: Float32Array) => void;

/** The rows of `data` as a RowFill. */
export const rowsFrom =
  (data: Float32Array, cols: number): RowFill =>
  (from, to, out) =>
    out.set(data.subarray(from * cols, to * cols));

export interface Kernels {
  readonly name: string;
  /** Takes a row-major matrix (the data is not copied by plain kernels: do not mutate it after). */
  upload(data: Float32Array, rows: number, cols: number): Mat;
  /** Builds a matrix from its rows, a block at a time: no whole copy of it is made outside the kernels. */
  uploadRows(rows: number, cols: number, fill: RowFill): Mat;
  /** Rows `index` of `m`, row-major `[index.length × m.cols]`. */
  rows(m: Mat, index: Int32Array): Float32Array;
  /** Dot products of rows `index` with rows `cols` (every row when absent): `[index.length × cols.length]`, row-major. */
  rowProducts(m: Mat, index: Int32Array, cols?: Int32Array): Float32Array;
  /** `Mᵀ diag(w) M v` for a vector `v` of length `m.cols` (the Gram matrix applied, never formed; `w` = 1 when absent). */
  gramTimes(m: Mat, v: Float32Array, weights?: Float32Array): Float32Array;
  /** `M v` for a vector of length `m.cols`. */
  times(m: Mat, v: Float32Array): Float32Array;
  release(m: Mat): void;
}

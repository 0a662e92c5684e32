// The heavy linear algebra of the engine behind one interface: TensorFlow.js ops in production,
// plain TypeScript as the benchmark baseline. Everything above this layer is written once.

/** A row-major float32 matrix living wherever the kernels keep it (TF.js backend or JS heap). */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
}

export interface Kernels {
  readonly name: string;
  /** Takes a row-major matrix (the data is not copied by plain kernels: do not mutate it after). */
  upload(data: Float32Array, rows: number, cols: number): Mat;
  /** Dot products of rows `index` with rows `cols` (every row when absent): `[index.length × cols.length]`, row-major. */
  rowProducts(m: Mat, index: Int32Array, cols?: Int32Array): Float32Array;
  /** `Mᵀ diag(w) M v` for a vector `v` of length `m.cols` (the Gram matrix applied, never formed; `w` = 1 when absent). */
  gramTimes(m: Mat, v: Float32Array, weights?: Float32Array): Float32Array;
  /** `M v` for a vector of length `m.cols`. */
  times(m: Mat, v: Float32Array): Float32Array;
  release(m: Mat): void;
}

// A layer's weight as neuron rows handed out a block at a time: a large layer is never read whole into memory.

export interface RowSource {
  /** Neurons: rows of the neuron-major weight. */
  readonly rows: number;
  /** Values per neuron row. */
  readonly cols: number;
  /** Rows `[first, first + count)`, row-major (`count × cols` values): valid until this source's next read. */
  read(first: number, count: number): Promise<Float32Array>;
}

/** The rows of a neuron-major array already in memory. */
export function wholeRows(data: Float32Array, rows: number): RowSource {
  const cols = rows === 0 ? 0 : data.length / rows;
  return { rows, cols, read: async (first, count) => data.subarray(first * cols, (first + count) * cols) };
}

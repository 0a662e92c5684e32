// Heatmap pixels and hover lookups from HeatmapData bytes (pure, no DOM): cluster order or raw order.
import type { HeatmapData } from '../protocol/panel';
import { byteToSimilarity } from './colormap';

/** The bytes of `values` whatever form the channel delivered them in (typed array, array or index object). */
export function heatmapBytes(values: unknown): Uint8Array {
  if (values instanceof Uint8Array) return values;
  if (ArrayBuffer.isView(values)) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (values instanceof ArrayBuffer) return new Uint8Array(values);
  if (Array.isArray(values)) return Uint8Array.from(values);
  if (values && typeof values === 'object') {
    const o = values as Record<string, number>;
    const n = Object.keys(o).length;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = o[i];
    return out;
  }
  return new Uint8Array(0);
}

/** Raw (neuron index) order is only possible when every display row is one neuron. */
export function canShowRawOrder(h: HeatmapData): boolean {
  return h.blockSize === 1 && h.order.length === h.size;
}

/** For each display row, the heatmap-order row it shows: identity, or neuron p's position in `order`. */
export function displayRows(h: HeatmapData, rawOrder: boolean): Int32Array {
  const rows = new Int32Array(h.size);
  if (rawOrder && canShowRawOrder(h)) {
    h.order.forEach((neuron, position) => {
      rows[neuron] = position;
    });
  } else {
    for (let r = 0; r < h.size; r++) rows[r] = r;
  }
  return rows;
}

/** RGBA pixels, one per cell, through a 256-entry lookup table (see colormap.byteLut). */
export function heatmapPixels(
  h: HeatmapData,
  bytes: Uint8Array,
  lut: Uint8Array,
  rawOrder: boolean,
): Uint8ClampedArray<ArrayBuffer> {
  const n = h.size;
  const rows = displayRows(h, rawOrder);
  const out = new Uint8ClampedArray(n * n * 4);
  for (let r = 0; r < n; r++) {
    const src = rows[r] * n;
    let o = r * n * 4;
    for (let c = 0; c < n; c++) {
      const l = bytes[src + rows[c]] * 4;
      out[o++] = lut[l];
      out[o++] = lut[l + 1];
      out[o++] = lut[l + 2];
      out[o++] = 255;
    }
  }
  return out;
}

export interface HeatmapCell {
  /** Display row and column. */
  row: number;
  col: number;
  /** Neuron indices the row and column stand for (one each unless block-averaged). */
  rowNeurons: number[];
  colNeurons: number[];
  s: number;
}

/** What the display cell (row, col) shows. */
export function heatmapCell(
  h: HeatmapData,
  bytes: Uint8Array,
  rawOrder: boolean,
  row: number,
  col: number,
): HeatmapCell {
  const rows = displayRows(h, rawOrder);
  const neurons = (r: number) => h.order.slice(rows[r] * h.blockSize, (rows[r] + 1) * h.blockSize);
  return {
    row,
    col,
    rowNeurons: neurons(row),
    colNeurons: neurons(col),
    s: byteToSimilarity(bytes[rows[row] * h.size + rows[col]]),
  };
}

/** "cluster 0", "static", or "clusters 0, 2" for the neurons a row or column stands for. */
export function clusterText(neurons: readonly number[], cluster: readonly number[]): string {
  const names = [...new Set(neurons.map((k) => (cluster[k] >= 0 ? String(cluster[k]) : 'static')))];
  if (names.length === 1) return names[0] === 'static' ? 'static' : `cluster ${names[0]}`;
  return `clusters ${list(names.map(Number).filter((c) => !Number.isNaN(c)))}${names.includes('static') ? ' and static' : ''}`;
}

/** The hover text of a cell: neuron indices (with their clusters when known) and S to 3 decimals (mean S of a block). */
export function cellText(cell: HeatmapCell, cluster?: readonly number[]): string {
  const s = cell.s.toFixed(3);
  const of = (neurons: number[]) => (cluster ? ` (${clusterText(neurons, cluster)})` : '');
  if (cell.rowNeurons.length === 1 && cell.colNeurons.length === 1)
    return `i = ${cell.rowNeurons[0]}${of(cell.rowNeurons)}, j = ${cell.colNeurons[0]}${of(cell.colNeurons)}, S = ${s}`;
  return `i ∈ {${list(cell.rowNeurons)}}${of(cell.rowNeurons)}, j ∈ {${list(cell.colNeurons)}}${of(cell.colNeurons)}, mean S = ${s}`;
}

function list(neurons: number[]): string {
  return neurons.length <= 4 ? neurons.join(', ') : `${neurons.slice(0, 3).join(', ')}, … ${neurons.length} neurons`;
}

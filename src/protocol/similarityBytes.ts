// The byte encoding of HeatmapData.values, written by the engine and read by every figure.

/** round((S + 1) / 2 · 255), S clamped to [−1, 1]. */
export function quantizeSimilarity(s: number): number {
  return Math.round(((Math.max(-1, Math.min(1, s)) + 1) / 2) * 255);
}

/** S encoded in a heatmap byte. */
export function byteToSimilarity(b: number): number {
  return b / 127.5 - 1;
}

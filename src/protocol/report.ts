// The `analyze --json` output (FORMATS.md, version 1): what the CLI prints and the extension charts.
import type { LayerFigures } from './figures';
import type { SimilarityMode } from './settings';

export type LayerKind = 'dense' | 'conv';

export interface LayerSummary extends LayerFigures {
  name: string;
  kind: LayerKind;
  /** Non-finite weights found (NaN/Inf): the layer's figures are then all 0. */
  nonFinite?: number;
}

export interface CheckpointReport {
  /** Relative to the analysed folder (or the file's own name for a lone file). */
  path: string;
  step: number | null;
  loss: number | null;
  layers: LayerSummary[];
  error: string | null;
  /** The files it was read from, when more than one (shards, a folder checkpoint), relative like `path`. */
  files?: string[];
}

export interface RunReport {
  version: 1;
  settings: { threshold: number; activeFraction: number; includeBias: boolean; similarity: SimilarityMode };
  checkpoints: CheckpointReport[];
}

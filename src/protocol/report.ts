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

/** Why a readable checkpoint has no layer: what it holds, and what a layer must look like. */
export interface NoLayers {
  /** How many tensors it holds, and the first few of them. */
  tensorCount: number;
  tensors: { name: string; shape: number[]; dtype: string }[];
  /** The layer-naming rules that were tried, in words. */
  rules: string[];
}

export interface CheckpointReport {
  /** Relative to the analysed folder (or the file's own name for a lone file). */
  path: string;
  step: number | null;
  loss: number | null;
  layers: LayerSummary[];
  error: string | null;
  /** Set when the file was read but no layer was found in it. */
  noLayers?: NoLayers;
}

export interface RunReport {
  version: 1;
  settings: { threshold: number; activeFraction: number; includeBias: boolean; similarity: SimilarityMode };
  checkpoints: CheckpointReport[];
}

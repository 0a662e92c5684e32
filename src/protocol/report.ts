// The `analyze --json` output (FORMATS.md, version 1): what the CLI prints and the extension charts.
import type { LayerFigures } from './figures';
import type { SimilarityMode } from './settings';

export type LayerKind =
  'dense' | 'conv' | 'attention.q' | 'attention.k' | 'attention.v' | 'attention.o' | 'mlp.in' | 'mlp.out' | 'embedding';

export interface LayerSummary extends LayerFigures {
  name: string;
  kind: LayerKind;
  /** The next layer, whose weights give each neuron's outgoing weights; null when there is none. */
  next: string | null;
  /** How the layer's weight is read from its tensor: `as stored`, `transposed`, `q of transformer.h.0.attn.c_attn`. */
  view: string;
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
}

export interface RunReport {
  version: 1;
  settings: { threshold: number; activeFraction: number; includeBias: boolean; similarity: SimilarityMode };
  checkpoints: CheckpointReport[];
}

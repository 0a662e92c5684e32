// The `analyze --json` output (docs/formats.md, version 1): what the CLI prints and the extension charts.
import type { LayerFigures } from './figures';
import type { SimilarityMode } from './settings';

export type LayerKind =
  'dense' | 'conv' | 'attention.q' | 'attention.k' | 'attention.v' | 'attention.o' | 'mlp.in' | 'mlp.out' | 'embedding';

/** A layer name's block: up to its first numbered segment (`transformer.h.10` of `transformer.h.10.mlp.c_fc`). */
export const LAYER_BLOCK = /^(?:(?<stack>.+?)\.)?(?<index>\d+)(?:\.(?<rest>.+))?$/;

/** The block a layer belongs to, or undefined outside blocks (stems, embeddings, heads). */
export function blockOf(name: string): string | undefined {
  const g = LAYER_BLOCK.exec(name)?.groups;
  return g ? (g.stack ? `${g.stack}.${g.index}` : g.index) : undefined;
}

export interface LayerSummary extends LayerFigures {
  name: string;
  kind: LayerKind;
  /** The next layer, whose weights give each neuron's outgoing weights; null when there is none. */
  next: string | null;
  /** How the layer's weight is read from its tensor: `as stored`, `transposed`, `q of transformer.h.0.attn.c_attn`. */
  view: string;
  /** Non-finite weights found (NaN/Inf): the layer's figures are then all 0. */
  nonFinite?: number;
  /**
   * More neurons than `analysis.maxNeurons`: only `active` and `stableRank` were computed; `clusters`,
   * `effectiveClusters` and `largestCluster` are 0 until the layer is analysed on request.
   */
  deferred?: true;
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
  /** With an error: the file may still be being written (truncated), so a watcher retries it; other errors are final. */
  incomplete?: boolean;
  /** Warnings about a checkpoint that was read, one escaped line each ("x.pt: holds Python objects that were not run: …"). */
  notes?: string[];
  /** The files it was read from, when more than one (shards, a folder checkpoint), relative like `path`. */
  files?: string[];
  /** Set when the file was read but no layer was found in it. */
  noLayers?: NoLayers;
}

export interface RunReport {
  version: 1;
  settings: { threshold: number; activeFraction: number; includeBias: boolean; similarity: SimilarityMode };
  checkpoints: CheckpointReport[];
}

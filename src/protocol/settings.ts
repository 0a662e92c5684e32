// Analysis settings of docs/metrics.md: every number that matters, with its default written once.

export type SimilarityMode = 'signed' | 'absolute';

export interface AnalysisSettings {
  /** Cluster threshold τ on the cosine similarity. */
  readonly threshold: number;
  /** A neuron is active when A_k ≥ activeFraction · max A. */
  readonly activeFraction: number;
  /** Append the bias to each neuron's input vector. */
  readonly includeBias: boolean;
  readonly similarity: SimilarityMode;
  /** Layers to analyse (globs on the layer name); empty means all. */
  readonly layers: readonly string[];
  /** Layers to skip (globs). */
  readonly excludeLayers: readonly string[];
  /** Analyse embedding tables (`wte`, `embed_tokens`, …) as layers of their own kind. */
  readonly includeEmbeddings: boolean;
  /** Next layers set by hand: layer name → next layer name, or `none`. */
  readonly nextLayers: Readonly<Record<string, string>>;
  /** One layer per attention head for q, k and v. */
  readonly perHead: boolean;
  /** Heatmap display limit: larger layers are block-averaged to this size. */
  readonly heatmapMaxNeurons: number;
  /** Refuse pickles that name any global outside the tensor allowlist (CI), instead of reading their weights. */
  readonly strict: boolean;
  /** Larger layers get only their stable rank and active count automatically; their clusters on request. */
  readonly maxNeurons: number;
}

export const DEFAULT_SETTINGS: AnalysisSettings = {
  threshold: 0.95,
  activeFraction: 0.05,
  includeBias: true,
  similarity: 'signed',
  layers: [],
  excludeLayers: [],
  includeEmbeddings: false,
  nextLayers: {},
  perHead: false,
  heatmapMaxNeurons: 2048,
  strict: false,
  maxNeurons: 16_384,
};

export function withDefaults(partial: Partial<AnalysisSettings> = {}): AnalysisSettings {
  const s = { ...DEFAULT_SETTINGS, ...stripUndefined(partial) };
  if (!(s.threshold >= -1 && s.threshold <= 1))
    throw new RangeError(`threshold must be in [-1, 1], got ${s.threshold}`);
  if (!(s.activeFraction >= 0 && s.activeFraction <= 1))
    throw new RangeError(`activeFraction must be in [0, 1], got ${s.activeFraction}`);
  const next: unknown = s.nextLayers;
  if (typeof next !== 'object' || next === null || Array.isArray(next) || !Object.values(next).every(isName))
    throw new RangeError('layers.next must map layer names to next layer names (or "none")');
  if (!(Number.isInteger(s.heatmapMaxNeurons) && s.heatmapMaxNeurons >= 2))
    throw new RangeError(`heatmapMaxNeurons must be an integer ≥ 2, got ${s.heatmapMaxNeurons}`);
  if (!(Number.isInteger(s.maxNeurons) && s.maxNeurons >= 1))
    throw new RangeError(`maxNeurons must be an integer ≥ 1, got ${s.maxNeurons}`);
  // A plain copy: VS Code hands out configuration objects that cannot be posted to the analysis worker.
  return { ...s, nextLayers: Object.fromEntries(Object.entries(next)) };
}

const isName = (v: unknown) => typeof v === 'string' && v.length > 0;

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

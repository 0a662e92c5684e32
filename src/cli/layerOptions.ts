// The options that choose and read layers, shared by `analyze`, `report` and `figure` (docs/layers.md).
import type { AnalysisSettings } from '../protocol/settings';
import { nextOption } from './command';

/** parseArgs declarations of the layer options. */
export const LAYER_OPTIONS = {
  'exclude-layer': { type: 'string', multiple: true },
  'include-embeddings': { type: 'boolean' },
  next: { type: 'string', multiple: true },
  'per-head': { type: 'boolean' },
  strict: { type: 'boolean' },
} as const;

/** Their lines of `--help`. */
export const LAYER_OPTIONS_HELP = `  --exclude-layer GLOB          skip matching layers (repeatable)
  --include-embeddings          analyse embedding tables (wte, embed_tokens, ...) too, as kind 'embedding'
  --next LAYER=NEXT             take NEXT as LAYER's next layer (its outgoing weights); LAYER=none for none
                                (repeatable; see docs/layers.md)
  --per-head                    one layer per attention head for q, k and v (needs the head count)
  --strict                      refuse pickles that name any Python global outside the tensor allowlist
                                (by default their weights are read and the objects are noted, never run)`;

interface LayerValues {
  'exclude-layer'?: string[];
  'include-embeddings'?: boolean;
  next?: string[];
  'per-head'?: boolean;
  strict?: boolean;
}

/** The analysis settings the layer options give. */
export function layerSettings(values: LayerValues) {
  return {
    excludeLayers: values['exclude-layer'] ?? [],
    includeEmbeddings: values['include-embeddings'] ?? false,
    nextLayers: nextOption(values.next),
    perHead: values['per-head'] === true,
    strict: values.strict === true,
  } satisfies Partial<AnalysisSettings>;
}

// Runs compared side by side are named by what differs between them ("γ = 0.5" against "γ = 4"), read from
// run.json's `config`; folder names when nothing differs or a run has no run.json.
import type { RunConfig } from './panel';

/** How a config key is written in a label; keys not listed are written as they are. */
const KEY_SYMBOLS: Record<string, string> = {
  gamma: 'γ',
  phaseGamma: 'γ (phase)',
  phaseGammaPrime: 'γ′',
  alpha: 'α',
};

/** What run.json says of a run's training settings: `config` flattened, with `preset`; undefined without either. */
export function manifestConfig(manifest: Record<string, unknown>): RunConfig | undefined {
  const out: RunConfig = {};
  if (typeof manifest.preset === 'string') out.preset = manifest.preset;
  flatten(manifest.config, '', out);
  return Object.keys(out).length > 0 ? out : undefined;
}

function flatten(value: unknown, prefix: string, out: RunConfig): void {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !isNaN(value)))
    out[prefix] = value;
  else if (Array.isArray(value)) out[prefix] = JSON.stringify(value);
  else if (value && typeof value === 'object' && !Array.isArray(value))
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
}

/** The config keys whose values are not the same in every run (a key some runs lack counts), in first-seen order. */
export function differingKeys(configs: readonly (RunConfig | undefined)[]): string[] {
  const keys = [...new Set(configs.flatMap((c) => Object.keys(c ?? {})))];
  return keys.filter((k) => new Set(configs.map((c) => JSON.stringify(c?.[k] ?? null))).size > 1);
}

/** `key = value`, the key as its symbol. */
export function configText(key: string, value: RunConfig[string] | undefined): string {
  return `${KEY_SYMBOLS[key] ?? key} = ${value === undefined ? '–' : String(value)}`;
}

/** The axis title of a config key. */
export function configKeyLabel(key: string): string {
  return KEY_SYMBOLS[key] ?? key;
}

/**
 * A label per run, in order: the config values that differ between the runs, or its name when no two runs can be
 * told apart that way (one run, no run.json, the same settings). Runs whose differing values are the same get their
 * name added.
 */
export function runLabels(runs: readonly { name: string; config?: RunConfig }[]): string[] {
  if (runs.length < 2 || runs.some((r) => !r.config)) return runs.map((r) => r.name);
  const keys = differingKeys(runs.map((r) => r.config));
  if (keys.length === 0) return runs.map((r) => r.name);
  const labels = runs.map((r) => keys.map((k) => configText(k, r.config?.[k])).join(', '));
  return labels.map((l, i) => (labels.indexOf(l) !== labels.lastIndexOf(l) ? `${l} (${runs[i].name})` : l));
}

/** The differing config keys with a number in every run: what a final figure can be charted against. */
export function numericDifferingKeys(configs: readonly (RunConfig | undefined)[]): string[] {
  return differingKeys(configs).filter((k) => configs.every((c) => typeof c?.[k] === 'number'));
}

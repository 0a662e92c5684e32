// Each `condensationLens.*` setting of package.json and the field it fills, free of vscode. The defaults are
// written once in code (DEFAULT_SETTINGS, DEFAULT_HOST_SETTINGS); package.json's schema repeats them, and
// test/unit/extension/settingsDefaults.test.ts fails when the two disagree.
import type { AnalysisSettings } from '../protocol/settings';

/** The analysis settings by field, with their key under `condensationLens`. */
export const ANALYSIS_SETTING_KEYS = {
  threshold: 'threshold',
  activeFraction: 'activeFraction',
  includeBias: 'includeBias',
  similarity: 'similarity',
  heatmapMaxNeurons: 'heatmap.maxNeurons',
  maxNeurons: 'analysis.maxNeurons',
  includeEmbeddings: 'layers.includeEmbeddings',
  nextLayers: 'layers.next',
  perHead: 'layers.perHead',
  strict: 'analysis.strict',
} as const satisfies Partial<Record<keyof AnalysisSettings, string>>;

/** The host's own settings: programs, the trainer's backend, the watcher's delay, where runs go. */
export interface HostSettings {
  nodePath: string;
  pythonPath: string;
  backend: string;
  debounceMs: number;
  pollMs: number;
  runsFolder: string;
  codeLensEnabled: boolean;
}

export const HOST_SETTING_KEYS: Record<keyof HostSettings, string> = {
  nodePath: 'nodePath',
  pythonPath: 'pythonPath',
  backend: 'trainer.backend',
  debounceMs: 'watcher.debounceMs',
  pollMs: 'watcher.pollMs',
  runsFolder: 'runsFolder',
  codeLensEnabled: 'codeLens.enabled',
};

export const DEFAULT_HOST_SETTINGS: HostSettings = {
  nodePath: 'node',
  pythonPath: 'python3',
  backend: 'auto',
  debounceMs: 300,
  pollMs: 1000,
  runsFolder: '.condensation/runs',
  codeLensEnabled: true,
};

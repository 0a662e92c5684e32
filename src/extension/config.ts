// The `condensationLens.*` settings, read in one place (defaults live in package.json's schema).
import * as vscode from 'vscode';
import { isAbsolute, join } from 'node:path';
import { DEFAULT_SETTINGS, withDefaults, type AnalysisSettings } from '../protocol/settings';
import type { PanelSettings } from '../protocol/panel';
import { SETTINGS_SECTION as SECTION } from './run/launch';

const section = () => vscode.workspace.getConfiguration(SECTION);

/** Settings whose change means every checkpoint is analysed again. */
export const ANALYSIS_KEYS = ['threshold', 'activeFraction', 'includeBias', 'similarity', 'heatmap.maxNeurons'].map(
  (k) => `${SECTION}.${k}`,
);

let warnedInvalid = false;

/** The analysis settings; out-of-range values are reported once and replaced by the defaults. */
export function analysisSettings(): AnalysisSettings {
  const c = section();
  try {
    return withDefaults({
      threshold: c.get<number>('threshold'),
      activeFraction: c.get<number>('activeFraction'),
      includeBias: c.get<boolean>('includeBias'),
      similarity: c.get<'signed' | 'absolute'>('similarity'),
      heatmapMaxNeurons: c.get<number>('heatmap.maxNeurons'),
    });
  } catch (e) {
    if (!warnedInvalid) {
      warnedInvalid = true;
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Condensation Lens settings: {0}. The defaults are used until it is fixed.',
          (e as Error).message,
        ),
      );
    }
    return DEFAULT_SETTINGS;
  }
}

export function panelSettings(): PanelSettings {
  const s = analysisSettings();
  return {
    threshold: s.threshold,
    similarity: s.similarity,
    activeFraction: s.activeFraction,
    includeBias: s.includeBias,
    heatmapMaxNeurons: s.heatmapMaxNeurons,
  };
}

export interface HostSettings {
  nodePath: string;
  pythonPath: string;
  backend: string;
  debounceMs: number;
  pollMs: number;
}

export function hostSettings(): HostSettings {
  const c = section();
  return {
    nodePath: c.get<string>('nodePath') || 'node',
    pythonPath: c.get<string>('pythonPath') || 'python3',
    backend: c.get<string>('trainer.backend') || 'auto',
    debounceMs: c.get<number>('watcher.debounceMs') ?? 0,
    pollMs: c.get<number>('watcher.pollMs') ?? 1000,
  };
}

/** Where new runs go: the runs folder of the first workspace folder, else the extension's storage. */
export function runsRoot(context: vscode.ExtensionContext): string {
  const configured = section().get<string>('runsFolder') || '.condensation/runs';
  if (isAbsolute(configured)) return configured;
  const ws = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return ws ? join(ws.uri.fsPath, configured) : join(context.globalStorageUri.fsPath, 'runs');
}

// The `condensationLens.*` settings, read in one place; the defaults are written once, in DEFAULT_SETTINGS and
// DEFAULT_HOST_SETTINGS (package.json's schema repeats them, checked by a test).
import * as vscode from 'vscode';
import { isAbsolute, join } from 'node:path';
import { toPanelSettings } from '../protocol/initMessage';
import { DEFAULT_SETTINGS, withDefaults, type AnalysisSettings } from '../protocol/settings';
import type { PanelSettings } from '../protocol/panel';
import { SETTINGS_SECTION as SECTION } from './run/launch';
import { ANALYSIS_SETTING_KEYS, DEFAULT_HOST_SETTINGS, HOST_SETTING_KEYS, type HostSettings } from './settingsTable';

const section = () => vscode.workspace.getConfiguration(SECTION);

/** Settings whose change means every checkpoint is analysed again. */
export const ANALYSIS_KEYS = Object.values(ANALYSIS_SETTING_KEYS).map((k) => `${SECTION}.${k}`);

let warnedInvalid = false;

/** The analysis settings; out-of-range values are reported once and replaced by the defaults. */
export function analysisSettings(): AnalysisSettings {
  const c = section();
  try {
    return withDefaults(
      Object.fromEntries(Object.entries(ANALYSIS_SETTING_KEYS).map(([field, key]) => [field, c.get(key)])),
    );
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
  return toPanelSettings(analysisSettings());
}

/** The host's settings; one left empty means its default. */
export function hostSettings(): HostSettings {
  const c = section();
  const read = <K extends keyof HostSettings>(field: K): HostSettings[K] => {
    const value = c.get<HostSettings[K]>(HOST_SETTING_KEYS[field]);
    return value === undefined || value === '' ? DEFAULT_HOST_SETTINGS[field] : value;
  };
  const fields = Object.keys(HOST_SETTING_KEYS) as (keyof HostSettings)[];
  return Object.fromEntries(fields.map((field) => [field, read(field)])) as unknown as HostSettings;
}

/** Where new runs go: the runs folder of the first workspace folder, else the extension's storage. */
export function runsRoot(context: vscode.ExtensionContext): string {
  const configured = hostSettings().runsFolder;
  if (isAbsolute(configured)) return configured;
  const ws = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return ws ? join(ws.uri.fsPath, configured) : join(context.globalStorageUri.fsPath, 'runs');
}

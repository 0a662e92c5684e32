// User settings of every e2e session: a quiet workbench that opens straight onto the workspace.
import { readFileSync } from 'node:fs';

export const E2E_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'security.workspace.trust.startupPrompt': 'never',
};

/** Chromium flags: headless, no sandbox (root in CI), nothing that reaches the network (shared with test/browser). */
export const CHROMIUM_ARGS = JSON.parse(readFileSync(new URL('../../chromiumArgs.json', import.meta.url), 'utf8'));

export const CHROMIUM_PATH = process.env.CONDENSATION_E2E_CHROMIUM || '/usr/bin/chromium';

// Debian's chromium driven by playwright-core, serving the repository at https://harness.test/ (no network; a secure
// context like a real webview's, so crypto.subtle exists).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '../..');
export const ORIGIN = 'https://harness.test';
export const SCREENSHOTS = join(__dirname, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Headless, no sandbox (root in CI), nothing that reaches the network; shared with the e2e harness. */
const ARGS: string[] = JSON.parse(readFileSync(join(__dirname, '..', 'chromiumArgs.json'), 'utf8'));
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface Session {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/** A browser with a fresh profile whose every request is answered from the repository or refused. */
export async function openBrowser(): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), 'condensation-lens-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1100, height: 900 },
  });
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    // Local files (a written report) may load; anything else off the harness origin would be network.
    if (url.protocol === 'file:') return route.continue();
    if (url.origin !== ORIGIN) return route.abort();
    const file = resolve(ROOT, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(ROOT)) return route.abort();
    try {
      await route.fulfill({
        status: 200,
        contentType: TYPES[extname(file)] ?? 'application/octet-stream',
        body: readFileSync(file),
      });
    } catch {
      await route.fulfill({ status: 404, body: 'not found' });
    }
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    browser: context.browser() as Browser,
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** CSS variables as VS Code sets them on <html> for its Light Modern and Dark Modern themes (the ones the UI reads). */
export const THEMES = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-editor-background': '#ffffff',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-charts-foreground': '#616161',
      '--vscode-charts-lines': 'rgba(97, 97, 97, 0.5)',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-purple': '#652d90',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-dropdown-border': '#cecece',
      '--vscode-checkbox-background': '#f8f8f8',
      '--vscode-checkbox-border': '#cecece',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-panelTitle-activeForeground': '#3b3b3b',
      '--vscode-panelTitle-activeBorder': '#005fb8',
      '--vscode-panelTitle-inactiveForeground': '#3b3b3b',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-list-activeSelectionBackground': '#e8e8e8',
      '--vscode-list-activeSelectionForeground': '#000000',
      '--vscode-editorHoverWidget-background': '#f8f8f8',
      '--vscode-editorHoverWidget-foreground': '#3b3b3b',
      '--vscode-editorHoverWidget-border': '#c8c8c8',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-charts-foreground': '#cccccc',
      '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-dropdown-border': '#3c3c3c',
      '--vscode-checkbox-background': '#313131',
      '--vscode-checkbox-border': '#3c3c3c',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-panelTitle-activeForeground': '#cccccc',
      '--vscode-panelTitle-activeBorder': '#0078d4',
      '--vscode-panelTitle-inactiveForeground': '#9d9d9d',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-list-activeSelectionBackground': '#04395e',
      '--vscode-list-activeSelectionForeground': '#ffffff',
      '--vscode-editorHoverWidget-background': '#202020',
      '--vscode-editorHoverWidget-foreground': '#cccccc',
      '--vscode-editorHoverWidget-border': '#454545',
    },
  },
} as const;
export type ThemeName = keyof typeof THEMES;

/** Switches theme the way VS Code does: variables on <html>'s style, the kind as a body class. */
export async function applyTheme(page: Page, name: ThemeName): Promise<void> {
  await page.evaluate(
    (theme) => (window as unknown as { __applyTheme(t: unknown): void }).__applyTheme(theme),
    THEMES[name],
  );
}

/** Opens the harness; the theme is in place before the bundle runs, as in VS Code. */
export async function openHarness(session: Session, view: 'panel' | 'sidebar', theme: ThemeName): Promise<Page> {
  const page = await session.context.newPage();
  await page.addInitScript(
    (t) => ((window as unknown as { __harnessTheme: unknown }).__harnessTheme = t),
    THEMES[theme],
  );
  await page.goto(`${ORIGIN}/test/browser/harness.html?view=${view}`);
  return page;
}

/** Loads a recording (HostMessages with byte arrays as {"$bytes": base64}) into the page as `window.__recorded`. */
export async function loadRecording(page: Page, path: string): Promise<void> {
  // A string, not a function: tsx would wrap a function's inner helpers in a `__name` the page lacks.
  await page.evaluate(`window.__loadRecording(${JSON.stringify(`${ORIGIN}/${path}`)})`);
}

let shared: Promise<Session> | undefined;

/** One browser for the whole suite (launching takes seconds); closed by the root hook in hooks.ts. */
export function sharedSession(): Promise<Session> {
  shared ??= openBrowser();
  return shared;
}

export async function closeSharedSession(): Promise<void> {
  const s = shared;
  shared = undefined;
  await (await s)?.close();
}

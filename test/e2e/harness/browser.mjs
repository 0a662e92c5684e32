// Drives the code-server workbench in Debian's chromium through playwright-core.
import { chromium } from 'playwright-core';
import { format } from 'node:util';
import { appendFileSync, rmSync } from 'node:fs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './settings.mjs';

/**
 * Opens a fresh chromium profile, runs `fn(page)`, saves a screenshot, always closes the browser.
 * The console of the page and of its frames (the webviews) goes to `consoleLog`.
 */
export async function withPage(profileDir, screenshot, consoleLog, fn) {
  rmSync(profileDir, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on('console', (m) =>
    appendFileSync(consoleLog, `[${m.type()}] ${m.location().url.split('?')[0]} ${m.text()}\n`),
  );
  page.on('pageerror', (e) => appendFileSync(consoleLog, `[pageerror] ${e.stack || e.message}\n`));
  try {
    return await fn(page);
  } finally {
    await page.screenshot({ path: screenshot }).catch(() => {});
    await context.close();
  }
}

/**
 * Runs an extension-host test module the way @vscode/test-electron would, through the workbench's
 * own integration-test hook: the `payload` query names the extension under development and the tests;
 * the extension host reports the result to window.codeAutomationExit(code). Resolves to the exit code.
 */
export async function runExtensionHostTests(page, server, { workspace, extensionPath, testsPath, timeoutMs, log }) {
  let exit;
  const exited = new Promise((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationLog', (type, args) => log(type, format(...args)));
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', server.remote(extensionPath)],
    ['extensionTestsPath', server.remote(testsPath)],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(`${server.base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
  let timer;
  const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const code = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  return code;
}

/** Opens the workbench on a folder (with an extension under development, if given) and waits until it is drawn. */
export async function openWorkbench(page, server, workspace, extensionPath) {
  const payload = extensionPath
    ? `&payload=${encodeURIComponent(
        JSON.stringify([
          ['extensionDevelopmentPath', server.remote(extensionPath)],
          ['skipWelcome', 'true'],
        ]),
      )}`
    : '';
  await page.goto(`${server.base}/?folder=${encodeURIComponent(workspace)}${payload}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
}

/**
 * Runs a command from the palette (F1) by its full title. Retries: a contributed command only shows
 * once the extension host has started and read the manifest.
 */
export async function runFromPalette(page, title, { attempts = 8 } = {}) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 5000 });
      await page.keyboard.press('Enter');
      return;
    } catch {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
  throw new Error(`"${title}" never appeared in the command palette after ${attempts} attempts`);
}

/** Picks the quick-pick row whose text contains `label` (the palette's follow-up prompts). */
export async function pickQuickItem(page, label, timeout = 15000) {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
}

/** Opens `fileName` through Quick Open (F1 without ">"). */
export async function quickOpen(page, fileName) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(fileName);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: fileName })
    .first()
    .waitFor({ state: 'visible', timeout: 15000 });
  await page.keyboard.press('Enter');
}

/** Answers the input box whose prompt contains `prompt` with `text` (empty keeps the default) and presses Enter. */
export async function answerInputBox(page, prompt, text, timeout = 15000) {
  await page
    .locator('.quick-input-widget .quick-input-message', { hasText: prompt })
    .waitFor({ state: 'visible', timeout });
  await page.locator('.quick-input-widget input').fill(text);
  await page.keyboard.press('Enter');
}

/**
 * The webview document (page > iframe.webview > iframe#active-frame) that contains `selector`. Searches every
 * frame, since a side-bar view and an editor panel may both be webviews.
 */
export async function webviewFrameWith(page, selector, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame.url().includes('/webview/') && (await frame.$(selector).catch(() => null))) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector} within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

/** The texts of the notifications on screen (errors the extension showed), for failure reports. */
export async function visibleNotifications(page) {
  const items = page.locator('.notification-toast .notification-list-item-message');
  return (await items.allTextContents().catch(() => [])).map((t) => t.trim()).filter(Boolean);
}

/**
 * The workbench's saved editor layout (the web workbench keeps it in IndexedDB: the workspace's
 * vscode-web-state-db-*, ItemTable, memento/workbench.parts.editor) as text; '' while nothing is saved.
 */
export async function savedEditorLayout(page) {
  return page.evaluate(async () => {
    const request = (r) =>
      new Promise((resolve, reject) => ((r.onsuccess = () => resolve(r.result)), (r.onerror = () => reject(r.error))));
    let text = '';
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith('vscode-web-state-db-') || name === 'vscode-web-state-db-global') continue;
      const db = await request(indexedDB.open(name));
      try {
        if (!db.objectStoreNames.contains('ItemTable')) continue;
        const value = await request(
          db.transaction('ItemTable').objectStore('ItemTable').get('memento/workbench.parts.editor'),
        );
        text += typeof value === 'string' ? value : value ? new TextDecoder().decode(value) : '';
      } finally {
        db.close();
      }
    }
    return text;
  });
}

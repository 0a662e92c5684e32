// Issue 9: a run started from the palette keeps training across Developer: Reload Window, is shown as running
// after the reload (the restored panel follows it again), and Stop still ends it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { answerInputBox, pickQuickItem, runFromPalette, webviewFrameWith } from '../harness/browser.mjs';

const PRESET = 'tanh-5d';
const CHANGE_PRESET = 'Change width, γ, steps or the checkpoint interval…';
/** Far more steps than the test lasts: only Stop can end it. */
const OVERRIDES = [
  ['Width', ''],
  ['γ', ''],
  ['Training steps', '10000000'],
  ['A checkpoint every N steps', '2000'],
];
const WAIT_MS = 90000;
const RUNNING = '.status-badge[data-status="running"]';
const STOPPED = '.status-badge[data-status="stopped"]';
const STOP_BUTTON = '[title="Stop the run"]';

/** True while `pid` runs (a zombie counts as gone). */
function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The newest run folder under the workspace's runs folder. */
function newestRun(workspace) {
  const root = join(workspace, '.condensation', 'runs');
  const runs = readdirSync(root).map((n) => join(root, n));
  return runs.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

async function until(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Keys go to the workbench, not to the panel's webview that had the focus (F1 would not reach the palette). */
async function focusWorkbench(page) {
  await page.locator('.explorer-folders-view').click({ position: { x: 40, y: 200 } });
}

export async function runSurvivesReload(page, { workspace, log }) {
  await focusWorkbench(page);
  // Only this run's panel comes back after the reload: code-server restores several webviews at once through one
  // service worker, and one of them may then fail to load its files.
  await runFromPalette(page, 'View: Close All Editor Groups');
  await focusWorkbench(page);
  await runFromPalette(page, 'Condensation: Start Training Run…');
  await pickQuickItem(page, PRESET);
  await pickQuickItem(page, CHANGE_PRESET);
  for (const [prompt, value] of OVERRIDES) await answerInputBox(page, prompt, value);
  await webviewFrameWith(page, RUNNING, WAIT_MS);
  const folder = newestRun(workspace);
  const manifest = join(folder, 'run.json');
  const pid = await until(
    `the process entry of ${manifest}`,
    () => {
      try {
        return JSON.parse(readFileSync(manifest, 'utf8')).process?.pid;
      } catch {
        return undefined;
      }
    },
    WAIT_MS,
  );
  log(`run ${folder} training as pid ${pid}; reloading the window`);
  await focusWorkbench(page);
  // The old page's workbench and panel stay until the reload navigates: wait for the navigation, not only the DOM.
  const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60000 });
  await runFromPalette(page, 'Developer: Reload Window');
  await reloaded;
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  const panel = await webviewFrameWith(page, RUNNING, WAIT_MS);
  if (!alive(pid)) throw new Error(`the trainer (pid ${pid}) did not survive the window reload`);
  log('after the reload the trainer still runs and its panel shows it running');
  await panel.locator(STOP_BUTTON).click();
  await panel.locator(STOPPED).waitFor({ state: 'attached', timeout: WAIT_MS });
  await until(`pid ${pid} to exit after Stop`, () => !alive(pid), WAIT_MS);
  log('stopped from the restored panel: the trainer is gone');
}

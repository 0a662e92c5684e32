// The UI test of issue 5 in a real VS Code: palette → "Condensation: Start Training Run…" → a tiny preset →
// the panel's "Over steps" chart grows as checkpoints arrive and the Layers table shows the clusters.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runFromPalette, pickQuickItem, webviewFrameWith } from '../harness/browser.mjs';

const COMMAND_TITLE = 'Condensation: Start Training Run…';
/** The preset `npm start` trains in a few seconds: width 50, 300 steps, a checkpoint every 5 steps. */
const PRESET = 'tanh-5d';
const WIDTH = 50;
const LAYER = 'fc1';
const PANEL_MS = 60000;
const GROWTH_MS = 90000;
/** The chart must be seen at this many increasing step ranges to count as growing. */
const GROWTH_OBSERVATIONS = 3;

const CLUSTERS_CELL = `td[data-layer="${LAYER}"][data-field="clusters"]`;
const PLOT_AREA = '.over-steps .plot-area';

/** Largest checkpoint step on disk among the workspace's runs (step-NNNNNN files). */
function latestCheckpointStep(workspace) {
  const runs = join(workspace, '.condensation', 'runs');
  if (!existsSync(runs)) return -1;
  let best = -1;
  for (const run of readdirSync(runs)) {
    const dir = existsSync(join(runs, run, 'checkpoints')) ? join(runs, run, 'checkpoints') : join(runs, run);
    for (const f of readdirSync(dir)) {
      const m = /^step-(\d+)\./.exec(f);
      if (m) best = Math.max(best, Number(m[1]));
    }
  }
  return best;
}

/** Runs the UI scenario on an open workbench; throws with what a user would have seen missing. */
export async function startTrainingFromPalette(page, { workspace, log }) {
  await runFromPalette(page, COMMAND_TITLE);
  log('command chosen from the palette');
  await pickQuickItem(page, PRESET);
  log(`preset ${PRESET} picked`);
  // Optional overrides follow the preset (width, γ, steps): accept the preset as it is.
  await acceptRemainingPrompts(page);
  const panel = await webviewFrameWith(page, PLOT_AREA, PANEL_MS);
  log('panel open with its "Over steps" chart');

  const seen = [];
  const deadline = Date.now() + GROWTH_MS;
  while (seen.length < GROWTH_OBSERVATIONS && Date.now() < deadline) {
    const xMax = Number(await panel.locator(PLOT_AREA).first().getAttribute('data-x-max'));
    if (Number.isFinite(xMax) && (seen.length === 0 || xMax > seen[seen.length - 1])) {
      seen.push(xMax);
      log(`chart reaches step ${xMax}`);
    }
    await page.waitForTimeout(250);
  }
  if (seen.length < GROWTH_OBSERVATIONS) throw new Error(`the chart's step range did not grow ${GROWTH_OBSERVATIONS} times within ${GROWTH_MS} ms (seen ${seen})`);
  const onDisk = latestCheckpointStep(workspace);
  if (seen[seen.length - 1] > onDisk) throw new Error(`the chart shows step ${seen[seen.length - 1]} but the newest checkpoint on disk is step ${onDisk}`);

  const cell = panel.locator(CLUSTERS_CELL);
  await cell.waitFor({ state: 'visible', timeout: PANEL_MS });
  const text = (await cell.textContent()).trim();
  const clusters = Number(text);
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > WIDTH) throw new Error(`Layers table: ${LAYER} clusters shows "${text}", not a count in 1..${WIDTH}`);
  log(`Layers table: ${LAYER} has ${clusters} clusters`);
}

/** Presses Enter on any follow-up quick input (the optional overrides) until none is open. */
async function acceptRemainingPrompts(page) {
  const widget = page.locator('.quick-input-widget');
  for (let i = 0; i < 5; i++) {
    await page.waitForTimeout(500);
    if (!(await widget.isVisible())) return;
    await page.keyboard.press('Enter');
  }
}

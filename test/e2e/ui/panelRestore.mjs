// After a window reload the inspector panel comes back (WebviewPanelSerializer + the run folder the
// webview saved with setState) and shows the same stopped run: the same Layers table figures.
import { webviewFrameWith } from '../harness/browser.mjs';

const LAYER = 'fc1';
const FIELDS = ['neurons', 'inputDim', 'clusters', 'effectiveClusters', 'largestCluster'];
const WAIT_MS = 90000;
/** The web workbench saves its open editors on a timer, not reliably while the page unloads. */
const STATE_FLUSH_MS = 15000;
const CELL = `td[data-layer="${LAYER}"][data-field="clusters"]`;

async function layerFigures(panel) {
  const figures = {};
  for (const field of FIELDS) figures[field] = ((await panel.locator(`td[data-layer="${LAYER}"][data-field="${field}"]`).textContent()) || '').trim();
  return figures;
}

/** Waits until the panel's Layers table shows the run's last checkpoint; returns its figures. */
async function finalFigures(page, lastStep) {
  const panel = await webviewFrameWith(page, CELL, WAIT_MS);
  await panel.locator('caption', { hasText: `up to step ${lastStep})` }).waitFor({ state: 'attached', timeout: WAIT_MS });
  return layerFigures(panel);
}

/** Runs after startTrainingFromPalette, on the same page; `lastStep` is the run's last checkpoint. */
export async function panelRestoredAfterReload(page, { lastStep, log }) {
  const figures = await finalFigures(page, lastStep);
  log(`Layers table at step ${lastStep} before the reload: ${JSON.stringify(figures)}`);
  await page.waitForTimeout(STATE_FLUSH_MS);
  await page.reload();
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  // The restored panel watches the run folder again and analyses it anew.
  const restored = await finalFigures(page, lastStep);
  if (JSON.stringify(restored) !== JSON.stringify(figures)) throw new Error(`after the reload the panel shows ${JSON.stringify(restored)}, before it showed ${JSON.stringify(figures)}`);
  log('panel restored after the reload with the same figures');
}

// After a window reload the inspector panel comes back (WebviewPanelSerializer + the run folder the
// webview saved with setState) and shows the same stopped run: the same Layers table figures.
import { savedEditorLayout, webviewFrameWith } from '../harness/browser.mjs';

const LAYER = 'fc1';
const FIELDS = ['neurons', 'inputDim', 'clusters', 'effectiveClusters', 'largestCluster'];
const WAIT_MS = 90000;
/** The web workbench saves its open editors on a timer (when idle), not reliably while the page unloads. */
const STATE_SAVE_MS = 60000;
const INSPECTOR_VIEW_TYPE = 'mainThreadWebview-condensationLens.inspector';
const CELL = `td[data-layer="${LAYER}"][data-field="clusters"]`;

async function layerFigures(panel) {
  const figures = {};
  for (const field of FIELDS)
    figures[field] = (
      (await panel.locator(`td[data-layer="${LAYER}"][data-field="${field}"]`).textContent()) || ''
    ).trim();
  return figures;
}

/** Waits until the panel's Layers table shows the run's last checkpoint; returns its figures. */
async function finalFigures(page, lastStep) {
  const panel = await webviewFrameWith(page, CELL, WAIT_MS);
  await panel
    .locator('caption', { hasText: `up to step ${lastStep})` })
    .waitFor({ state: 'attached', timeout: WAIT_MS });
  return layerFigures(panel);
}

/** The webview states of the inspector panels in the workbench's saved editor layout. */
function savedInspectorStates(layoutText) {
  if (!layoutText) return [];
  const states = [];
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (node.id === 'workbench.editors.webviewInput' && typeof node.value === 'string') {
      const input = JSON.parse(node.value);
      if (input.viewType === INSPECTOR_VIEW_TYPE && typeof input.state === 'string')
        states.push(JSON.parse(input.state));
    }
    Object.values(node).forEach(visit);
  };
  visit(JSON.parse(layoutText));
  return states;
}

/** Waits until the workbench has saved the panel with its run and the step it shows, so a reload can restore it. */
async function waitForSavedPanel(page, lastStep) {
  const deadline = Date.now() + STATE_SAVE_MS;
  let states = [];
  while (Date.now() < deadline) {
    states = savedInspectorStates(await savedEditorLayout(page));
    if (states.some((s) => s.run?.folder && s.step === lastStep)) return;
    await page.waitForTimeout(500);
  }
  throw new Error(
    `the workbench did not save the inspector panel at step ${lastStep} within ${STATE_SAVE_MS} ms (saved: ${JSON.stringify(states)})`,
  );
}

/** Runs after startTrainingFromPalette, on the same page; `lastStep` is the run's last checkpoint. */
export async function panelRestoredAfterReload(page, { lastStep, log }) {
  const figures = await finalFigures(page, lastStep);
  log(`Layers table at step ${lastStep} before the reload: ${JSON.stringify(figures)}`);
  await waitForSavedPanel(page, lastStep);
  await page.reload();
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  // The restored panel watches the run folder again and analyses it anew.
  const restored = await finalFigures(page, lastStep);
  if (JSON.stringify(restored) !== JSON.stringify(figures))
    throw new Error(
      `after the reload the panel shows ${JSON.stringify(restored)}, before it showed ${JSON.stringify(figures)}`,
    );
  log('panel restored after the reload with the same figures');
}

// The UI part of the untrusted session: opening a checkpoint file from Quick Open shows the single-checkpoint
// inspector, whose Layers table carries the figures computed by hand for it (suite/handmadeCheckpoint.js).
import { quickOpen, webviewFrameWith } from '../harness/browser.mjs';

const TABLE_MS = 60000;
/** The table rounds to 4 significant digits (webview/series.ts formatValue). */
const DISPLAY_TOLERANCE = 0.0015;

/** Opens `fileName` through Quick Open (F1 without ">") and checks the Layers table against `expected`. */
export async function checkpointInspector(page, { fileName, expected, log }) {
  await quickOpen(page, fileName);
  log(`${fileName} opened from Quick Open`);
  const cell = (field) => `td[data-layer="${expected.layer}"][data-field="${field}"]`;
  const frame = await webviewFrameWith(page, cell('clusters'), TABLE_MS);
  const problems = [];
  for (const field of ['neurons', 'inputDim', 'active', 'clusters', 'largestCluster', 'effectiveClusters']) {
    const text = ((await frame.locator(cell(field)).textContent()) || '').trim();
    const ok = Number.isInteger(expected[field])
      ? text === String(expected[field])
      : Math.abs(Number(text) - expected[field]) <= DISPLAY_TOLERANCE;
    if (!ok) problems.push(`${field} shows "${text}", expected ${expected[field]}`);
  }
  if (problems.length) throw new Error(`Layers table of ${fileName}, layer ${expected.layer}: ${problems.join('; ')}`);
  log(`Layers table of ${fileName}: ${expected.layer} has ${expected.clusters} clusters, as computed by hand`);
}

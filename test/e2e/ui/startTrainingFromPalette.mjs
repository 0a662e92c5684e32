// The UI test of issue 5 in a real VS Code: palette → "Condensation: Start Training Run…" → a tiny preset →
// the panel's "Over steps" chart grows as checkpoints arrive, the panel's Stop button ends the run and the
// Layers table shows the clusters.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerInputBox, runFromPalette, pickQuickItem, webviewFrameWith } from '../harness/browser.mjs';

const COMMAND_TITLE = 'Condensation: Start Training Run…';
/** The preset `npm start` trains in a few seconds: width 50, 300 steps, a checkpoint every 5 steps. */
const PRESET = 'tanh-5d';
const WIDTH = 50;
/** 5-D input plus the bias. */
const INPUT_DIM = 6;
const LAYER = 'fc1';
/** The second choice of the overrides prompt, then its input boxes in order. */
const CHANGE_PRESET = 'Change width, γ, steps or the checkpoint interval…';
/**
 * tanh-5d trains its 300 steps in well under a second, before the panel is drawn, so a user could not see
 * it grow. Far more steps, with checkpoints spaced to keep the folder small, make a run that is still
 * going when the chart has been seen to grow; the test then stops it from the panel.
 */
const OVERRIDES = [
  ['Width', ''],
  ['γ', ''],
  ['Training steps', '1000000'],
  ['A checkpoint every N steps', '500'],
];
const PANEL_MS = 60000;
const GROWTH_MS = 90000;
/** The chart must be seen at this many increasing step ranges to count as growing. */
const GROWTH_OBSERVATIONS = 3;

const PLOT_AREA = '.over-steps .plot-area';
const STOP_BUTTON = '[title="Stop the run"]';

/** Largest checkpoint step on disk anywhere in the workspace (step-NNNNNN files), -1 when none. */
function latestCheckpointStep(workspace) {
  let best = -1;
  for (const entry of readdirSync(workspace, { recursive: true, withFileTypes: true })) {
    const m = entry.isFile() && /^step-(\d+)\.safetensors$/.exec(entry.name);
    if (m) best = Math.max(best, Number(m[1]));
  }
  return best;
}

/**
 * The step the trainer reached: the last line of the run's metrics.jsonl, which a stopped trainer ends with
 * the step it stopped at (the chart's range also covers the loss lines it printed between checkpoints).
 */
function lastMetricsStep(workspace) {
  const files = readdirSync(workspace, { recursive: true, withFileTypes: true }).filter(
    (e) => e.isFile() && e.name === 'metrics.jsonl',
  );
  if (files.length !== 1) throw new Error(`expected one metrics.jsonl in ${workspace}, found ${files.length}`);
  const lines = readFileSync(join(files[0].parentPath ?? files[0].path, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n');
  return JSON.parse(lines[lines.length - 1]).step;
}

/**
 * Runs the UI scenario on an open workbench; throws with what a user would have seen missing.
 * Resolves to the step of the run's last checkpoint.
 */
export async function startTrainingFromPalette(page, { workspace, log }) {
  await runFromPalette(page, COMMAND_TITLE);
  log('command chosen from the palette');
  await pickQuickItem(page, PRESET);
  log(`preset ${PRESET} picked`);
  await pickQuickItem(page, CHANGE_PRESET);
  for (const [prompt, value] of OVERRIDES) await answerInputBox(page, prompt, value);
  log(
    `overrides given: ${OVERRIDES.filter(([, v]) => v)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
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
  if (seen.length < GROWTH_OBSERVATIONS)
    throw new Error(
      `the chart's step range did not grow ${GROWTH_OBSERVATIONS} times within ${GROWTH_MS} ms (seen ${seen})`,
    );

  await panel.locator(STOP_BUTTON).click();
  await panel.locator('.status-badge[data-status="stopped"]').waitFor({ state: 'attached', timeout: PANEL_MS });
  const onDisk = latestCheckpointStep(workspace);
  const reached = lastMetricsStep(workspace);
  log(`stopped from the panel at step ${reached}, last checkpoint step ${onDisk}`);
  if (seen[seen.length - 1] > reached)
    throw new Error(`the chart showed step ${seen[seen.length - 1]} but the trainer stopped at step ${reached}`);

  const cell = (field) => panel.locator(`td[data-layer="${LAYER}"][data-field="${field}"]`);
  await cell('clusters').waitFor({ state: 'visible', timeout: PANEL_MS });
  const text = async (field) => ((await cell(field).textContent()) || '').trim();
  if ((await text('neurons')) !== String(WIDTH))
    throw new Error(`Layers table: ${LAYER} neurons shows "${await text('neurons')}", the preset's width is ${WIDTH}`);
  if ((await text('inputDim')) !== String(INPUT_DIM))
    throw new Error(`Layers table: ${LAYER} inputDim shows "${await text('inputDim')}", expected ${INPUT_DIM}`);
  const clusters = Number(await text('clusters'));
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > WIDTH)
    throw new Error(`Layers table: ${LAYER} clusters shows "${await text('clusters')}", not a count in 1..${WIDTH}`);
  log(`Layers table: ${LAYER} has ${clusters} clusters of ${WIDTH} neurons`);
  return onDisk;
}

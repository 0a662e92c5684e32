// A Compare panel in real Chromium, fed the messages recorded from two real runs that differ in γ only.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { loadRecording, openHarness, SCREENSHOTS, sharedSession, type Session } from './browser';
import { closeTo, feed, loadRecorded } from './recording';

const COMPARE_RECORDING = 'test/browser/recorded/compare-gamma.json';
const { init } = loadRecorded('compare-gamma.json');
const [g05, g4] = init.runs;
const LAYER = g05.layers[0];
const last = (r: typeof g05) => r.series[LAYER][r.series[LAYER].length - 1];

async function posted(page: Page): Promise<{ body: { type: string; [k: string]: unknown } }[]> {
  return page.evaluate(() => (window as unknown as { __harness: { posted: never[] } }).__harness.posted);
}

/** The final-figure table as [label, x, y] rows. */
async function finalRows(page: Page): Promise<string[][]> {
  return page.$$eval('.final-table tr[data-run]', (trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
  );
}

describe('Compare panel (two recorded runs, γ = 0.5 and γ = 4)', function () {
  this.timeout(60_000);
  let session: Session;
  let page: Page;

  before(async () => {
    session = await sharedSession();
  });
  beforeEach(async () => {
    page = await openHarness(session, 'panel', 'dark');
    await loadRecording(page, COMPARE_RECORDING);
    await page.evaluate('window.__harness.details = window.__recorded.filter((m) => m.type === "detail")');
  });
  afterEach(async function () {
    const name = `compare-${this.currentTest?.title.replace(/\W+/g, '-').slice(0, 60)}.png`;
    await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
    await page.close();
  });

  it('overlays clusters, effective clusters and loss of both runs under a legend of their γ', async () => {
    assert.deepEqual(
      [g05.run.config?.gamma, g4.run.config?.gamma],
      [0.5, 4],
      'the recording is of two runs that differ in γ',
    );
    await feed(page, [init]);
    await page.locator('.run-legend li').nth(1).waitFor();
    assert.deepEqual(await page.locator('.run-legend .run-label').allTextContents(), ['γ = 0.5', 'γ = 4']);
    assert.equal(await page.locator('.panel-header h1').textContent(), 'Comparing 2 runs');
    for (const field of ['clusters', 'effectiveClusters', 'loss'])
      assert.equal(
        await page.locator(`.compare-steps .chart[data-field="${field}"]`).getAttribute('data-runs'),
        '2',
        `${field}: one line per run`,
      );
    // Both runs span steps 0 … 300: so does the shared step axis.
    const area = page.locator('.compare-steps .chart[data-field="clusters"] .plot-area');
    await page.waitForFunction(() => document.querySelector('.compare-steps .plot-area')?.getAttribute('data-x-max'));
    assert.equal(Number(await area.getAttribute('data-x-min')), 0);
    assert.equal(Number(await area.getAttribute('data-x-max')), 300);
    // The single-run chart and its series toggles are not shown over several runs; the step axis still is an option.
    assert.equal(await page.locator('.over-steps').isVisible(), false);
    assert.equal(await page.locator('[aria-label="Over steps options"]').isVisible(), false);
    await page.locator('[aria-label="Compare options"] vscode-checkbox').click();
    await page.waitForFunction(
      () => document.querySelector('.compare-steps .plot-area')?.getAttribute('data-x-min') === '10',
    );
  });

  it('charts each run’s final effective clusters against γ, and the final clusters when chosen', async () => {
    await feed(page, [init]);
    await page.locator('.final-table tr[data-run]').nth(1).waitFor();
    const rows = await finalRows(page);
    assert.deepEqual(
      rows.map((r) => [r[0], Number(r[1])]),
      [
        ['γ = 0.5', 0.5],
        ['γ = 4', 4],
      ],
    );
    assert.ok(closeTo(Number(rows[0][2]), last(g05).effectiveClusters), `${rows[0][2]}`);
    assert.ok(closeTo(Number(rows[1][2]), last(g4).effectiveClusters), `${rows[1][2]}`);
    assert.ok(
      last(g05).effectiveClusters > last(g4).effectiveClusters,
      'the larger initialisation (γ = 0.5) condenses less',
    );
    await page.locator('vscode-dropdown[aria-label="Final figure"]').click();
    await page.locator('vscode-dropdown[aria-label="Final figure"] vscode-option[value="clusters"]').click();
    await page.waitForFunction(
      (want) => document.querySelector('.final-table tr[data-run] td:last-child')?.textContent === want,
      String(last(g05).clusters),
    );
    assert.deepEqual(
      (await finalRows(page)).map((r) => Number(r[2])),
      [last(g05).clusters, last(g4).clusters],
    );
  });

  it('shows the orientation and the similarity of both runs side by side at the same layer and step', async () => {
    await feed(page, [init]);
    await page.locator('#tab-orientation').click();
    for (const r of [g05, g4])
      await page
        .locator(`.orientation-compare .compare-cell[data-run="${r.run.id}"] .orientation[data-step="300"]`)
        .waitFor({ state: 'attached' });
    const requests = (await posted(page)).filter((m) => m.body.type === 'detail');
    assert.deepEqual(
      requests.map((m) => [m.body.run, m.body.layer, m.body.step]).sort(),
      [
        [g05.run.id, LAYER, 300],
        [g4.run.id, LAYER, 300],
      ].sort(),
      'one request per run, each naming its run',
    );
    assert.deepEqual(await page.locator('.orientation-compare .run-label').allTextContents(), ['γ = 0.5', 'γ = 4']);
    await page.locator('#tab-similarity').click();
    for (const r of [g05, g4])
      await page
        .locator(`.similarity-compare .compare-cell[data-run="${r.run.id}"] .similarity[data-step="300"]`)
        .waitFor({ state: 'attached' });
    // Scrubbing moves both runs.
    await page.locator('.step-slider').focus();
    await page.keyboard.press('Home');
    for (const r of [g05, g4])
      await page
        .locator(`.similarity-compare .compare-cell[data-run="${r.run.id}"] .similarity[data-step="0"]`)
        .waitFor({ state: 'attached' });
  });

  it('applies a threshold toggle to the run it names only, each run showing its own settings', async () => {
    await feed(page, [init]);
    await page.locator('#tab-similarity').click();
    await page.locator('.panel-header vscode-dropdown[aria-label="Run"]').click();
    await page.locator(`vscode-option[value="${g4.run.id}"]`).click();
    await page.locator('.panel-header vscode-dropdown[aria-label="Threshold τ"]').click();
    await page.locator('vscode-option[value="0.9"]').click();
    const change = (await posted(page)).find((m) => m.body.type === 'setSetting');
    assert.deepEqual(change?.body, { type: 'setSetting', run: g4.run.id, key: 'threshold', value: 0.9 });
    await feed(page, [{ type: 'settings', run: g4.run.id, settings: { ...g4.settings, threshold: 0.9 } }]);
    const facts = (r: typeof g05) =>
      page.locator(`.similarity-compare .compare-cell[data-run="${r.run.id}"] .run-facts`).textContent();
    await page.waitForFunction(
      (id) =>
        document.querySelector(`.similarity-compare [data-run="${id}"] .run-facts`)?.textContent?.includes('0.9 ·'),
      g4.run.id,
    );
    assert.match((await facts(g4)) ?? '', /τ = 0\.9 · signed/);
    assert.match((await facts(g05)) ?? '', new RegExp(`τ = ${g05.settings.threshold} · signed`));
    const saved = await page.evaluate(() => JSON.parse(sessionStorage.getItem('vscodeState') ?? '{}'));
    assert.deepEqual(saved.choices, { [g4.run.id]: { threshold: 0.9 } });
    assert.deepEqual(
      saved.runs,
      init.runs.map((r) => ({ folder: r.run.folder })),
    );
  });

  it('exports an HTML report that replays both runs, side by side, offline', async () => {
    await feed(page, [init]);
    await page.locator('#tab-similarity').click();
    for (const r of [g05, g4])
      await page
        .locator(`.similarity-compare .compare-cell[data-run="${r.run.id}"] .similarity[data-step="300"]`)
        .waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Export a standalone HTML report of the run' }).click();
    await page.waitForFunction(() =>
      (window as unknown as { __harness: { posted: { body: { type: string } }[] } }).__harness.posted.some(
        (m) => m.body.type === 'export',
      ),
    );
    const exported = (await posted(page)).find((m) => m.body.type === 'export')!.body as unknown as { data: string };
    const dir = mkdtempSync(join(tmpdir(), 'condensation-lens-compare-export-'));
    try {
      writeFileSync(join(dir, 'report.html'), exported.data);
      const report = await session.context.newPage();
      await report.goto(`file://${join(dir, 'report.html')}`);
      await report.locator('.run-legend li').nth(1).waitFor();
      assert.deepEqual(await report.locator('.run-legend .run-label').allTextContents(), ['γ = 0.5', 'γ = 4']);
      await report.locator('#tab-similarity').click();
      for (const r of [g05, g4])
        await report
          .locator(`.similarity-compare .compare-cell[data-run="${r.run.id}"] .similarity[data-step="300"]`)
          .waitFor({ state: 'attached' });
      await report.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

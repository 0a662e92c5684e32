// The Compare panel's overlaid charts in real Chromium, on the recorded runs that differ in γ only: the hover at a
// step, and the SVG, PNG and CSV exports of every run. Expected values are the recording's, read here in Node.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { decodePng } from '../unit/helpers/png';
import { svgElements, texts, type SvgElement } from '../unit/helpers/svg';
import { loadRecording, openHarness, SCREENSHOTS, sharedSession, type Session } from './browser';
import { closeTo, feed, loadRecorded, plotBox, SUMMARY_FIELDS as FIELDS } from './recording';

const { init } = loadRecorded('compare-gamma.json');
const runs = init.runs;
const LAYER = runs[0].layers[0];
const LABELS = ['γ = 0.5', 'γ = 4'];
const FIELDS_CHARTED = ['clusters', 'effectiveClusters', 'loss'] as const;
/** A run's recorded [step, value] of a charted field. */
const recordedSeries = (r: (typeof runs)[number], field: (typeof FIELDS_CHARTED)[number]): [number, number][] =>
  field === 'loss' ? r.loss.map((p) => [p.step, p.loss]) : r.series[LAYER].map((p) => [p.step, p[field]]);

type Posted = { body: { type: string; [k: string]: unknown } };
const posted = (page: Page): Promise<Posted[]> =>
  page.evaluate(() => (window as unknown as { __harness: { posted: Posted[] } }).__harness.posted);

/** Clicks an export button and returns what the panel posted. */
async function exported(page: Page, button: string): Promise<{ format: string; suggestedName: string; data: string }> {
  const before = (await posted(page)).filter((m) => m.body.type === 'export').length;
  await page.getByRole('button', { name: button }).click();
  await page.waitForFunction(
    (n) =>
      (window as unknown as { __harness: { posted: Posted[] } }).__harness.posted.filter(
        (m) => m.body.type === 'export',
      ).length > n,
    before,
  );
  return (await posted(page)).filter((m) => m.body.type === 'export')[before].body as never;
}

/** The elements of each `<g class="chart">` of an SVG, by its data-title. */
function svgCharts(svg: string): Map<string, SvgElement[]> {
  const charts = svg.split('<g class="chart"').slice(1);
  return new Map(
    charts.map((c) => {
      const elements = svgElements(`<g class="chart"${c}`);
      return [elements[0].attrs['data-title'], elements];
    }),
  );
}

/** The vertices of a path's "M x y L x y …". */
const vertices = (d: string): number[][] => [...d.matchAll(/[ML]([-\d.]+) ([-\d.]+)/g)].map((m) => [+m[1], +m[2]]);

/** The least-squares line through (a, b) pairs and the largest distance of any pair from it. */
function affineError(pairs: number[][]): number {
  const n = pairs.length;
  const ma = pairs.reduce((s, p) => s + p[0], 0) / n;
  const mb = pairs.reduce((s, p) => s + p[1], 0) / n;
  const slope =
    pairs.reduce((s, p) => s + (p[0] - ma) * (p[1] - mb), 0) / pairs.reduce((s, p) => s + (p[0] - ma) ** 2, 0);
  return Math.max(...pairs.map((p) => Math.abs(mb + slope * (p[0] - ma) - p[1])));
}

describe('Compare charts: hover and exports of every run (recorded γ = 0.5 and γ = 4)', function () {
  this.timeout(60_000);
  let session: Session;
  let page: Page;

  before(async () => {
    session = await sharedSession();
  });
  beforeEach(async () => {
    page = await openHarness(session, 'panel', 'dark');
    await loadRecording(page, 'test/browser/recorded/compare-gamma.json');
    await feed(page, [init]);
    await page
      .locator('.compare-steps .chart[data-field="loss"] .plot-area[data-x-max]')
      .waitFor({ state: 'attached' });
  });
  afterEach(async function () {
    const name = `compare-figures-${this.currentTest?.title.replace(/\W+/g, '-').slice(0, 60)}.png`;
    await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
    await page.close();
  });

  it('shows, at the hovered step, each run’s recorded value under its label in its colour; a click selects it', async () => {
    const legendColours = await page
      .locator('.run-legend li')
      .evaluateAll((lis) => lis.map((li) => (li.querySelector('.swatch') as HTMLElement).style.background));
    for (const field of FIELDS_CHARTED) {
      const scope = `.compare-steps .chart[data-field="${field}"]`;
      const box = await plotBox(page, scope);
      for (const step of [0, 10, 150, 300]) {
        await page.mouse.move(box.x + ((step - box.xMin) / (box.xMax - box.xMin)) * box.width, box.y + box.height / 2);
        const hover = page.locator(`${scope} .hover-text`);
        assert.equal(await hover.locator('.hover-step').textContent(), `step ${step}`, `${field} at ${step}`);
        const rows = await hover.locator('.hover-run').evaluateAll((els) =>
          els.map((el) => ({
            run: (el as HTMLElement).dataset.run,
            label: el.querySelector('.run-label')?.textContent,
            colour: (el.querySelector('.run-label') as HTMLElement).style.color,
            value: el.querySelector('.hover-value')?.textContent ?? '',
          })),
        );
        assert.deepEqual(
          rows.map((r) => [r.run, r.label, r.colour]),
          runs.map((r, i) => [r.run.id, LABELS[i], legendColours[i]]),
        );
        runs.forEach((r, i) => {
          const want = recordedSeries(r, field).find(([s]) => s === step)![1];
          assert.ok(closeTo(Number(rows[i].value), want), `${field} of ${LABELS[i]} at ${step}: ${rows[i].value}`);
        });
      }
    }
    assert.notEqual(legendColours[0], legendColours[1]);
    // A click selects the step under the pointer: every chart's cursor moves there.
    const box = await plotBox(page, '.compare-steps .chart[data-field="clusters"]');
    await page.mouse.click(box.x + ((150 - box.xMin) / (box.xMax - box.xMin)) * box.width, box.y + box.height / 2);
    await page.waitForFunction(
      () => document.querySelectorAll('.compare-steps .step-cursor[data-step="150"]:not([hidden])').length === 3,
    );
    await page.mouse.move(0, 0);
    assert.equal(await page.locator('.compare-steps .hover-text:not([hidden])').count(), 0);
  });

  it('exports the overlaid charts as SVG, a line per run under the run labels, and as PNG', async () => {
    const svgMessage = await exported(page, 'Export the visible figure as SVG');
    assert.equal(svgMessage.format, 'svg');
    assert.match(svgMessage.suggestedName, /^compare-cmp-run-g0\.5-vs-cmp-run-g4-overSteps-step-300\.svg$/);
    const charts = svgCharts(svgMessage.data);
    assert.deepEqual([...charts.keys()], [...FIELDS_CHARTED]);
    const xPairs: number[][] = [];
    for (const field of FIELDS_CHARTED) {
      const elements = charts.get(field)!;
      const paths = elements.filter((e) => e.attrs.class === 'series');
      assert.deepEqual(
        paths.map((p) => p.attrs['data-label']),
        LABELS,
        `${field}: one series per run`,
      );
      assert.notEqual(paths[0].attrs.stroke, paths[1].attrs.stroke);
      const legend = texts(elements);
      for (const label of LABELS) assert.ok(legend.includes(label), `${field} legend: ${legend.join(' | ')}`);
      // Every recorded point is a vertex: y is one affine map of the value for both runs, x one of the step.
      const yPairs: number[][] = [];
      runs.forEach((r, i) => {
        const want = recordedSeries(r, field);
        const got = vertices(paths[i].attrs.d);
        assert.equal(got.length, want.length, `${field} of ${LABELS[i]}: every recorded point`);
        want.forEach(([step, value], k) => {
          xPairs.push([step, got[k][0]]);
          yPairs.push([value, got[k][1]]);
        });
      });
      assert.ok(affineError(yPairs) < 0.02, `${field}: vertices at the recorded values (${affineError(yPairs)})`);
    }
    assert.ok(affineError(xPairs) < 0.02, 'one step axis');
    const words = texts(svgElements(svgMessage.data));
    assert.ok(
      words.includes(
        `layer ${LAYER} · threshold ${runs[0].settings.threshold} · ${runs[0].settings.similarity} similarity`,
      ),
      words.join(' | '),
    );

    const pngMessage = await exported(page, 'Export the visible chart as PNG');
    const png = decodePng(Buffer.from(pngMessage.data.replace(/^data:image\/png;base64,/, ''), 'base64'));
    const root = svgElements(svgMessage.data).find((e) => e.tag === 'svg')!;
    assert.deepEqual([png.width, png.height], [Number(root.attrs.width) * 2, Number(root.attrs.height) * 2]);
    // Each run's line in the PNG, in its colour, where the two runs are far apart (γ = 4 has 2 clusters at step 100).
    const paths = charts.get('clusters')!.filter((e) => e.attrs.class === 'series');
    const at = runs[0].series[LAYER].findIndex((p) => p.step === 100);
    const hex = (v: string) => [1, 3, 5].map((i) => parseInt(v.slice(i, i + 2), 16));
    paths.forEach((p, i) => {
      const [x, y] = vertices(p.attrs.d)[at];
      const pixel = png.pixel(Math.round(x * 2), Math.round(y * 2)).slice(0, 3);
      assert.ok(
        pixel.every((v, c) => Math.abs(v - hex(p.attrs.stroke)[c]) <= 40),
        `${LABELS[i]} at step 100: ${pixel.join(',')} vs ${p.attrs.stroke}`,
      );
    });
  });

  it('exports every run’s series as CSV, each row after its run’s label', async () => {
    const csv = await exported(page, 'Export all series as CSV');
    assert.equal(csv.suggestedName, 'compare-cmp-run-g0.5-vs-cmp-run-g4-series.csv');
    const [head, ...lines] = csv.data.trimEnd().split('\n');
    assert.equal(head, ['run', 'layer', 'step', ...FIELDS, 'loss'].join(','));
    const rows = lines.map((l) => l.split(','));
    runs.forEach((r, i) => {
      const mine = rows.filter((row) => row[0] === LABELS[i]);
      assert.equal(mine.length, r.series[LAYER].length + r.loss.length, `${LABELS[i]}: a row per point and per loss`);
      const layerRows = mine.filter((row) => row[1] === LAYER);
      r.series[LAYER].forEach((p, k) => {
        const row = layerRows[k];
        assert.equal(Number(row[2]), p.step);
        FIELDS.forEach((f, j) => assert.equal(row[3 + j], p[f] === undefined ? '' : String(p[f]), `${f} at ${p.step}`));
        assert.equal(Number(row[3 + FIELDS.length]), r.loss.find((l) => l.step === p.step)!.loss);
      });
      const lossRows = mine.filter((row) => row[1] === '');
      assert.deepEqual(
        lossRows.map((row) => [Number(row[2]), Number(row[row.length - 1])]),
        r.loss.map((l) => [l.step, l.loss]),
      );
    });
    assert.equal(
      rows.length,
      runs.reduce((n, r) => n + r.series[LAYER].length + r.loss.length, 0),
    );
  });
});

// The figure options of the inspector panel in real Chromium, on the recorded tanh-5d run: orientation styles,
// log A, trajectories and picks, the θ window, active-only similarity, the split over-steps charts, SVG/PNG export.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { decodePng } from '../unit/helpers/png';
import { byClass, svgElements, texts } from '../unit/helpers/svg';
import { byteLut } from '../../src/report/colormap';
import { PAPER_PALETTE } from '../../src/report/palette';
import { openHarness, SCREENSHOTS, sharedSession, THEMES, type Session } from './browser';
import { feed, loadRecorded, plotBox, serveRecordedDetails } from './recording';

const { init, recorded, details } = loadRecorded();
const LAYER = recorded.layers[0];
const steps = recorded.series[LAYER].map((p) => p.step);
const lastDetail = details[details.length - 1];
const light = THEMES.light.vars as Record<string, string>;
const hex = (v: string) => [1, 3, 5].map((i) => parseInt(v.slice(i, i + 2), 16));

type Posted = { body: { type: string; [k: string]: unknown }; messageId?: number };
const posted = (page: Page): Promise<Posted[]> =>
  page.evaluate(() => (window as unknown as { __harness: { posted: Posted[] } }).__harness.posted);

/** The canvas pixel under page point (x, y). */
async function canvasPixel(page: Page, selector: string, x: number, y: number): Promise<number[]> {
  return page.locator(selector).evaluate(
    (c, [px, py]) => {
      const canvas = c as HTMLCanvasElement;
      const r = canvas.getBoundingClientRect();
      const k = canvas.width / r.width;
      return Array.from(
        canvas.getContext('2d')!.getImageData(Math.round((px - r.x) * k), Math.round((py - r.y) * k), 1, 1).data,
      );
    },
    [x, y],
  );
}

async function openOrientation(page: Page, step = lastDetail.step): Promise<void> {
  await feed(page, [init]);
  await page.locator('#tab-orientation').click();
  if (step !== steps[steps.length - 1]) {
    await page.locator('.step-slider').focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < steps.indexOf(step); i++) await page.keyboard.press('ArrowRight');
  }
  await page.locator(`.orientation[data-step="${step}"] .plot-area[data-y-max]`).waitFor({ state: 'attached' });
}

/** Page position of each neuron's current point, on a linear or log A axis. */
async function neuronPositions(page: Page, theta: number[], amplitude: number[], log: boolean): Promise<number[][]> {
  const box = await plotBox(page, '.orientation');
  const f = (v: number) => (log ? Math.log10(v) : v);
  return theta.map((t, k) => {
    const x = box.xMin + ((((t - box.xMin) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI));
    return [
      box.x + ((x - box.xMin) / (box.xMax - box.xMin)) * box.width,
      box.y + (1 - (f(amplitude[k]) - f(box.yMin)) / (f(box.yMax) - f(box.yMin))) * box.height,
    ];
  });
}

/** A neuron with no other point within `gap` px (ghosts included when `ghosts` are given). */
function isolated(points: number[][], active: (k: number) => boolean, gap = 9): number {
  return points.findIndex(
    (p, i) => active(i) && points.every((q, j) => j === i || Math.hypot(q[0] - p[0], q[1] - p[1]) > gap),
  );
}

/** Positions of the last step's points (ghosts after the current ones) and an active neuron standing alone. */
async function isolatedActive(page: Page): Promise<[number[][], number]> {
  const d = lastDetail;
  const theta = [...d.theta, ...d.ghost!.theta];
  const all = await neuronPositions(page, theta, [...d.amplitude, ...d.ghost!.amplitude], false);
  return [all, isolated(all, (i) => i < d.theta.length && d.cluster[i] >= 0)];
}

describe('figure options in the inspector panel', function () {
  this.timeout(60_000);
  let session: Session;
  let page: Page;

  before(async () => {
    session = await sharedSession();
  });
  beforeEach(async () => {
    page = await openHarness(session, 'panel', 'light');
    await serveRecordedDetails(page);
  });
  afterEach(async function () {
    await page.screenshot({
      path: join(SCREENSHOTS, `figures-${this.currentTest?.title.replace(/\W+/g, '-').slice(0, 60)}.png`),
      fullPage: true,
    });
    await page.close();
  });

  it('draws active neurons red in the paper style and says θ is a projection for a 6-dimensional input', async () => {
    await openOrientation(page);
    await page.locator('vscode-dropdown[aria-label="Colours"]').click();
    await page.locator('vscode-option[value="paper"]').click();
    await page.locator('.orientation[data-style="paper"]').waitFor({ state: 'attached' });
    await page.mouse.move(0, 0);
    const [all, k] = await isolatedActive(page);
    assert.ok(k >= 0, 'some active neuron stands alone');
    assert.deepEqual(await canvasPixel(page, '.orientation canvas', all[k][0], all[k][1]), [
      ...hex(light['--vscode-charts-red']),
      255,
    ]);
    assert.equal(
      await page.locator('.orientation .dim-note').textContent(),
      `θ is measured in the plane of the top two singular directions (input dimension ${recorded.series[LAYER][0].inputDim}).`,
    );
  });

  it('puts A on a log axis: the plot spans positive decades and hovering finds the neuron there', async () => {
    await openOrientation(page);
    await page.getByText('Log A axis').click();
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('.orientation .plot-area')?.dataset.yMin) > 0,
    );
    const box = await plotBox(page, '.orientation');
    const d = lastDetail;
    const positive = d.amplitude.filter((a) => a > 0);
    assert.ok(box.yMin <= Math.min(...positive) && box.yMax >= Math.max(...positive), `${box.yMin}..${box.yMax}`);
    const all = await neuronPositions(
      page,
      [...d.theta, ...d.ghost!.theta],
      [...d.amplitude, ...d.ghost!.amplitude],
      true,
    );
    const k = isolated(all, (i) => i < d.theta.length);
    await page.mouse.move(all[k][0], all[k][1]);
    assert.match((await page.locator('.orientation .hover-text').textContent()) ?? '', new RegExp(`^neuron ${k} `));
  });

  it('shifts the θ window so that no cluster is split across its edge', async () => {
    // At step 150 a cluster sits near ±π.
    const d = details.find((x) => x.step === 150)!;
    await openOrientation(page, d.step);
    const box = await plotBox(page, '.orientation');
    assert.ok(Math.abs(box.xMax - box.xMin - 2 * Math.PI) < 1e-9);
    const clusters = new Set(d.cluster.filter((c) => c >= 0));
    assert.ok(
      [...clusters].some((c) => d.theta.some((t, k) => d.cluster[k] === c && Math.abs(t) > 3)),
      'a cluster near ±π',
    );
    for (const c of clusters) {
      const xs = d.theta
        .filter((_, k) => d.cluster[k] === c)
        .map((t) => box.xMin + ((((t - box.xMin) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)));
      assert.ok(Math.max(...xs) - Math.min(...xs) < Math.PI / 2, `cluster ${c} is whole: ${xs.join(', ')}`);
    }
  });

  it('draws trajectories over the last checkpoints for the active neurons, or for the neurons clicked', async () => {
    await openOrientation(page);
    await page.getByText('Trajectories').click();
    // The decimated checkpoints are asked for; the recording holds steps 0 and 300 of them.
    await page.waitForFunction(
      () =>
        (
          window as unknown as { __harness: { posted: { body: { type: string; step: number } }[] } }
        ).__harness.posted.some((m) => m.body.type === 'detail' && m.body.step === 275),
      undefined,
      { timeout: 10_000 },
    );
    const active = lastDetail.cluster.filter((c) => c >= 0).length;
    await page.locator(`.orientation[data-trajectories="${active}"]`).waitFor({ state: 'attached' });
    const asked = (await posted(page)).filter((m) => m.body.type === 'detail').map((m) => m.body.step as number);
    assert.ok(asked.length <= 12 + 1, `at most 12 checkpoints asked: ${asked.join(', ')}`);
    const [all, k] = await isolatedActive(page);
    await page.mouse.click(all[k][0], all[k][1]);
    await page.locator('.orientation[data-trajectories="1"]').waitFor({ state: 'attached' });
  });

  it('shows only the active block when asked, with axis labels, a colour-bar title and clusters in the hover', async () => {
    const d = details.find((x) => x.step === 10)!;
    const active = d.cluster.filter((c) => c >= 0).length;
    await feed(page, [init]);
    await page.locator('#tab-similarity').click();
    await page.locator('.step-slider').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.locator(`.similarity[data-step="10"][data-active-only="false"]`).waitFor({ state: 'attached' });
    // 26 of 50 active: not fewer than half, so every neuron is shown until the box is ticked.
    await page.getByText('Active neurons only').click();
    await page.locator(`.similarity[data-step="10"][data-active-only="true"]`).waitFor({ state: 'attached' });
    const width = await page.locator('canvas.heatmap').evaluate((c) => (c as HTMLCanvasElement).width);
    assert.equal(width, active);
    const h = d.heatmap;
    for (const [r, c] of [
      [0, active - 1],
      [active - 1, 0],
      [h.boundaries[0], 2],
    ]) {
      const s = h.values[r * h.size + c] / 127.5 - 1;
      const px = await page.evaluate(
        ([x, y]) =>
          Array.from(
            (document.querySelector('canvas.heatmap') as HTMLCanvasElement).getContext('2d')!.getImageData(x, y, 1, 1)
              .data,
          ),
        [c, r],
      );
      const zero = hex(light['--vscode-editor-background']);
      const end = hex(light[s < 0 ? '--vscode-charts-blue' : '--vscode-charts-red']);
      assert.deepEqual(
        px.slice(0, 3),
        [0, 1, 2].map((i) => Math.round(zero[i] + (end[i] - zero[i]) * Math.abs(s))),
        `cell ${r},${c}`,
      );
    }
    assert.deepEqual(await page.locator('.similarity .heatmap-axis').allTextContents(), [
      'active neurons in cluster order',
      'active neurons in cluster order',
    ]);
    assert.equal(await page.locator('.similarity .legend-title').textContent(), 'cosine similarity');
    const box = (await page.locator('canvas.heatmap').boundingBox())!;
    await page.mouse.move(box.x + box.width * (0.5 / active), box.y + box.height * ((active - 0.5) / active));
    const [i, j] = [h.order[active - 1], h.order[0]];
    assert.match(
      (await page.locator('.similarity .hover-text').textContent()) ?? '',
      new RegExp(`^i = ${i} \\(cluster ${d.cluster[i]}\\), j = ${j} \\(cluster ${d.cluster[j]}\\), S = `),
    );
  });

  it('charts the active count on its own chart, and splits small multiples by series for one layer', async () => {
    await feed(page, [init]);
    await page.locator('.over-steps .plot-area[data-y-max]').waitFor({ state: 'attached' });
    await page.getByRole('checkbox', { name: 'Active neurons', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('.over-steps .steps-chart').length === 2);
    const yMax = (i: number) =>
      page
        .locator('.over-steps .plot-area')
        .nth(i)
        .evaluate((el) => Number((el as HTMLElement).dataset.yMax));
    const maxClusters = Math.max(...recorded.series[LAYER].map((p) => Math.max(p.clusters, p.effectiveClusters)));
    const maxActive = Math.max(...recorded.series[LAYER].map((p) => p.active));
    assert.ok((await yMax(0)) < maxActive && (await yMax(0)) >= maxClusters, 'clusters axis fits the clusters');
    assert.ok((await yMax(1)) >= maxActive, 'active axis fits the active count');
    await page.getByText('Small multiples').click();
    await page.waitForFunction(() => document.querySelectorAll('.over-steps .steps-chart').length === 3);
  });

  it('exports the visible figure as SVG with its caption, and PNG at 2× with the cells’ colours', async () => {
    await feed(page, [init]);
    await page.locator('#tab-similarity').click();
    await page.locator(`.similarity[data-step="${lastDetail.step}"]`).waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Export the visible figure as SVG' }).click();
    await page.waitForFunction(() =>
      (window as unknown as { __harness: { posted: { body: { type: string } }[] } }).__harness.posted.some(
        (m) => m.body.type === 'export',
      ),
    );
    const svgMessage = (await posted(page)).find((m) => m.body.type === 'export')!;
    assert.equal(svgMessage.body.format, 'svg');
    const svg = svgElements(svgMessage.body.data as string);
    const words = texts(svg);
    assert.ok(
      words.includes(
        `run ${recorded.run.name} · layer ${LAYER} · step ${lastDetail.step} · threshold ${recorded.settings.threshold} · ${recorded.settings.similarity} similarity`,
      ),
      words.join(' | '),
    );
    assert.ok(words.includes('cosine similarity') && words.includes('neurons in cluster order'));
    // Cancel: the host replies without a path, and the panel says nothing.
    await page.evaluate(
      (id) => window.postMessage({ body: { type: 'exported' }, inReplyTo: id }, '*'),
      svgMessage.messageId,
    );
    await page.waitForTimeout(200);
    assert.equal(await page.locator('.panel-header .message').textContent(), '');

    await page.getByRole('button', { name: 'Export the visible chart as PNG' }).click();
    await page.waitForFunction(
      () =>
        (window as unknown as { __harness: { posted: { body: { type: string } }[] } }).__harness.posted.filter(
          (m) => m.body.type === 'export',
        ).length === 2,
    );
    const pngMessage = (await posted(page)).filter((m) => m.body.type === 'export')[1];
    assert.equal(pngMessage.body.format, 'png');
    assert.match(pngMessage.body.suggestedName as string, /@2x\.png$/);
    const png = decodePng(
      Buffer.from((pngMessage.body.data as string).replace(/^data:image\/png;base64,/, ''), 'base64'),
    );
    const root = svg.find((e) => e.tag === 'svg')!;
    assert.deepEqual([png.width, png.height], [Number(root.attrs.width) * 2, Number(root.attrs.height) * 2]);
    const [image] = byClass(svg, 'cells');
    const h = lastDetail.heatmap;
    const cell = Number(image.attrs.width) / h.size;
    const lut = byteLut(PAPER_PALETTE.diverging);
    for (const [r, c] of [
      [0, 0],
      [0, h.size - 1],
      [h.boundaries[0], 3],
    ]) {
      const b = h.values[r * h.size + c];
      const got = png.pixel(
        Math.floor((Number(image.attrs.x) + (c + 0.5) * cell) * 2),
        Math.floor((Number(image.attrs.y) + (r + 0.5) * cell) * 2),
      );
      const want = [...lut.subarray(b * 4, b * 4 + 3)];
      assert.ok(
        got.slice(0, 3).every((v, i) => Math.abs(v - want[i]) <= 3),
        `cell ${r},${c}: ${got.join(',')} vs ${want.join(',')}`,
      );
    }
    await page.evaluate(
      (id) => window.postMessage({ body: { type: 'exported', path: 'figs/x@2x.png' }, inReplyTo: id }, '*'),
      pngMessage.messageId,
    );
    await page.waitForFunction(
      () => document.querySelector('.panel-header .message')?.textContent === 'Exported figs/x@2x.png.',
    );
  });
});

// Scale: 1 000 checkpoints in the series and a 4 096-neuron layer (block-averaged heatmap) stay usable.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { layerDetail } from '../../src/core/analyze';
import { withDefaults } from '../../src/protocol/settings';
import type { LayerDetail, LayerPoint } from '../../src/protocol/panel';
import { encodeReportMessages } from '../../src/report/standalonePage';
import { openHarness, ROOT, SCREENSHOTS, sharedSession } from './browser';
import { feed, loadRecorded } from './recording';

const { recorded } = loadRecorded();

const NEURONS = 4096;
const CHECKPOINTS = 1000;

/** A seeded two-layer net fc1 [4096, 2] → fc2 [1, 4096] as safetensors, its rows on 8 directions plus noise. */
function writeWideCheckpoint(path: string): void {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const w = new Float32Array(NEURONS * 2);
  const b = new Float32Array(NEURONS);
  const a = new Float32Array(NEURONS);
  for (let k = 0; k < NEURONS; k++) {
    const angle = (Math.floor(rand() * 8) / 8) * 2 * Math.PI + (rand() - 0.5) * 0.05;
    const r = 0.1 + rand();
    [w[2 * k], b[k], w[2 * k + 1], a[k]] = [
      r * Math.cos(angle),
      r * Math.sin(angle),
      0.01 * (rand() - 0.5),
      rand() - 0.5,
    ];
  }
  // fc1 takes a 2-D input here: [w0, w1] and the bias.
  const tensors: [string, Float32Array, number[]][] = [
    ['fc1.bias', b, [NEURONS]],
    ['fc1.weight', w, [NEURONS, 2]],
    ['fc2.weight', a, [1, NEURONS]],
  ];
  let offset = 0;
  const header: Record<string, unknown> = {};
  for (const [name, data, shape] of tensors) {
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path, Buffer.concat([head, Buffer.from(json), ...tensors.map(([, d]) => Buffer.from(d.buffer))]));
}

describe('at scale', function () {
  this.timeout(120_000);
  let dir: string;
  let detail: LayerDetail;
  let page: Page;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'condensation-lens-scale-'));
    writeWideCheckpoint(join(dir, 'step-000999.safetensors'));
    detail = await layerDetail(join(dir, 'step-000999.safetensors'), 'fc1', withDefaults());
    // The harness serves files below the repository only.
    writeFileSync(
      join(ROOT, 'dist', 'scale-detail.json'),
      encodeReportMessages([{ type: 'detail', run: recorded.run.id, detail }]),
    );
  });
  after(async () => {
    await page?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(ROOT, 'dist', 'scale-detail.json'), { force: true });
  });

  it('scrubs 1 000 checkpoints and shows a 4 096-neuron layer block-averaged, with hover on blocks', async () => {
    const figures = recorded.series[recorded.layers[0]];
    // The recorded figures repeated over 1 000 steps: the UI's load, not new numbers.
    const points: LayerPoint[] = Array.from({ length: CHECKPOINTS }, (_, i) => ({
      ...figures[i % figures.length],
      step: i,
    }));
    page = await openHarness(await sharedSession(), 'panel', 'light');
    await page.evaluate(
      `window.__loadRecording("https://harness.test/dist/scale-detail.json").then(() => { window.__harness.details = window.__recorded; })`,
    );
    const run = { ...recorded.run, status: 'watching' as const };
    await feed(page, [
      { type: 'init', runs: [{ ...recorded, run, layers: ['fc1'], series: { fc1: points.slice(0, 10) } }] },
    ]);
    for (let i = 10; i < CHECKPOINTS; i += 99)
      await feed(page, [{ type: 'series', run: recorded.run.id, layer: 'fc1', points: points.slice(i, i + 99) }]);
    await page.waitForFunction(() => document.querySelector('.step-label')?.textContent === 'step 999 (1000 / 1000)');
    await page.locator('.step-slider').focus();
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.querySelector('.step-label')?.textContent === 'step 0 (1 / 1000)');
    await page.keyboard.press('End');
    await page.locator('#tab-similarity').click();
    await page.locator('.similarity[data-step="999"]').waitFor({ state: 'attached' });
    const h = detail.heatmap;
    assert.equal(h.blockSize, 2);
    assert.equal(await page.locator('canvas.heatmap').evaluate((c) => (c as HTMLCanvasElement).width), h.size);
    assert.match(
      (await page.locator('.similarity .note').textContent()) ?? '',
      /Block-averaged: each cell is the mean over 2 × 2 neurons \(4096 neurons, display limit 2048\)/,
    );
    const box = await page.locator('canvas.heatmap').boundingBox();
    assert.ok(box);
    const [x, y] = [Math.round(box.x + box.width * 0.3), Math.round(box.y + box.height * 0.7)];
    await page.mouse.move(x, y);
    const [r, c] = [Math.floor(((y - box.y) / box.height) * h.size), Math.floor(((x - box.x) / box.width) * h.size)];
    const s = h.values[r * h.size + c] / 127.5 - 1;
    const pair = (k: number) => `${h.order[2 * k]}, ${h.order[2 * k + 1]}`;
    // Both neurons of each block share a cluster here, which the hover names.
    const clusterOf = (k: number) => {
      const [a, b] = [detail.cluster[h.order[2 * k]], detail.cluster[h.order[2 * k + 1]]];
      assert.equal(a, b);
      return a < 0 ? 'static' : `cluster ${a}`;
    };
    assert.equal(
      await page.locator('.similarity .hover-text').textContent(),
      `i ∈ {${pair(r)}} (${clusterOf(r)}), j ∈ {${pair(c)}} (${clusterOf(c)}), mean S = ${s.toFixed(3)}`,
    );
    await page.locator('#tab-orientation').click();
    await page.locator('.orientation[data-step="999"] .plot-area[data-y-max]').waitFor({ state: 'attached' });
    await page.screenshot({ path: join(SCREENSHOTS, 'scale-orientation.png') });
  });
});

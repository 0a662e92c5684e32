// The Layers table on a real architecture (GPT-2 layout, 11 blocks): kind and next layer shown, grouped by block,
// in model order by default; sorting by a column drops the grouping. Expectations: test/fixtures/layers/expected.json.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { analyzeLayerFile, analyzeRun } from '../../src/core/analyze';
import { runMessages } from '../../src/cli/reportMessages';
import { layerPoint } from '../../src/protocol/initMessage';
import type { HostMessage } from '../../src/protocol/panel';
import { withDefaults } from '../../src/protocol/settings';
import { openHarness, sharedSession } from './browser';
import { feed } from './recording';

const DIR = join(__dirname, '..', 'fixtures', 'layers');
const GPT2 = join(DIR, 'gpt2.safetensors');
const want: { name: string; kind: string; next: string | null; neurons: number; clusters: number }[] = JSON.parse(
  readFileSync(join(DIR, 'expected.json'), 'utf8'),
)['gpt2.safetensors'].layers;

async function gpt2Init(settings = withDefaults()): Promise<HostMessage> {
  const report = await analyzeRun(GPT2, settings);
  return runMessages({ target: GPT2, report, settings, loss: new Map(), details: [] })[0];
}

// No named functions inside the page callback: the test transpiler would wrap them in a helper the page lacks.
const rows = (page: Page) =>
  page.$$eval('.layers-table tbody tr[data-layer]', (trs) =>
    trs.map((tr) =>
      ['name', 'kind', 'next'].map((field) => tr.querySelector(`[data-field="${field}"]`)?.textContent ?? ''),
    ),
  );
const blocks = (page: Page) =>
  page.$$eval('.layers-table tr.block-header th', (ths) => ths.map((th) => th.textContent));

describe('Layers table on a GPT-2 layout', function () {
  this.timeout(60_000);

  it('shows kind and next layer, grouped by block, in model order; sorting by name drops the groups', async () => {
    const init = await gpt2Init();
    const page = await openHarness(await sharedSession(), 'panel', 'light');
    try {
      await feed(page, [init]);
      await page.locator('.layers-table tbody tr[data-layer]').first().waitFor();
      assert.deepEqual(
        await rows(page),
        want.map((l) => [l.name, l.kind, l.next ?? '–']),
      );
      assert.deepEqual(
        await blocks(page),
        Array.from({ length: 11 }, (_, i) => `transformer.h.${i}`),
      );
      assert.equal(
        await page.locator('th:has(button[aria-label="Model order"])').getAttribute('aria-sort'),
        'ascending',
      );
      await page.locator('button.sort', { hasText: /^Layer$/ }).click();
      await page.waitForFunction(() => document.querySelectorAll('.layers-table tr.block-header').length === 0);
      const byName = (await rows(page)).map((r) => r[0]);
      assert.deepEqual(
        byName,
        want.map((l) => l.name).sort((a, b) => a.localeCompare(b, undefined, { numeric: true })),
      );
    } finally {
      await page.close();
    }
  });

  it('shows a layer above analysis.maxNeurons as not analysed; a click asks the host for it, its figures then show', async () => {
    // The 64-neuron layers are above 63; the 16-neuron ones are analysed.
    const settings = withDefaults({ maxNeurons: 63 });
    const init = await gpt2Init(settings);
    const big = want.filter((l) => l.neurons > 63);
    const [run] = init.type === 'init' ? init.runs : [];
    const page = await openHarness(await sharedSession(), 'panel', 'light');
    try {
      await feed(page, [init]);
      await page.locator('.layers-table tbody tr[data-layer]').first().waitFor();
      const clusters = await page.$$eval('.layers-table td[data-field="clusters"]', (tds) =>
        tds.map((td) => td.textContent),
      );
      assert.deepEqual(
        clusters,
        want.map((l) =>
          l.neurons > 63 ? `not analysed (${l.neurons} neurons; click to analyse)` : String(l.clusters),
        ),
      );
      const layer = big[0].name;
      const button = page.locator(`button.analyse[data-layer="${layer}"]`);
      await button.click();
      const posted = () =>
        page.evaluate(
          () => (window as unknown as { __harness: { posted: { body: { type: string } }[] } }).__harness.posted,
        );
      assert.deepEqual(
        (await posted()).filter((m) => m.body.type === 'analyseLayer').map((m) => m.body),
        [{ type: 'analyseLayer', run: run.run.id, layer }],
      );
      assert.equal(await button.textContent(), 'analysing…');
      assert.ok(await button.isDisabled());
      assert.equal(
        await page.locator(`tr[data-layer="${layer}"]`).getAttribute('aria-current'),
        null,
        'the click analyses the layer; it does not select its row',
      );
      // The host answers with the layer's figures at that step.
      const summary = await analyzeLayerFile(GPT2, layer, settings);
      const step = run.series[layer][0].step;
      await feed(page, [{ type: 'series', run: run.run.id, layer, points: [layerPoint(step, summary)] }]);
      await page.waitForFunction((l) => !document.querySelector(`button.analyse[data-layer="${l}"]`), layer);
      assert.equal(
        await page.locator(`td[data-layer="${layer}"][data-field="clusters"]`).textContent(),
        String(big[0].clusters),
      );
      // A layer its checkpoint named but whose figures have not come yet is listed, and counted in the caption.
      await feed(page, [{ type: 'series', run: run.run.id, layer: 'lm_head', points: [] }]);
      await page.locator('tr[data-layer="lm_head"]').waitFor();
      assert.match(
        (await page.locator('.layers-table caption').textContent()) ?? '',
        new RegExp(`\\(1 of ${want.length + 1} not analysed yet\\)$`),
      );
      // The layers shown (the selected one, the rows in view) were named to the host, which analyses them first.
      const shown = (await posted()).filter((m) => m.body.type === 'showLayers').map((m) => m.body) as unknown as {
        layers: string[];
      }[];
      assert.ok(shown.length > 0 && shown.every((m) => m.layers[0] === want[0].name), JSON.stringify(shown));
      assert.ok(
        shown.some((m) => m.layers.includes(want[1].name)),
        'a row in view is named',
      );
    } finally {
      await page.close();
    }
  });
});

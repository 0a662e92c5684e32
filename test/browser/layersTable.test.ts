// The Layers table on a real architecture (GPT-2 layout, 11 blocks): kind and next layer shown, grouped by block,
// in model order by default; sorting by a column drops the grouping. Expectations: test/fixtures/layers/expected.json.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { analyzeRun } from '../../src/core/analyze';
import { runMessages } from '../../src/cli/reportMessages';
import type { HostMessage } from '../../src/protocol/panel';
import { withDefaults } from '../../src/protocol/settings';
import { openHarness, sharedSession } from './browser';
import { feed } from './recording';

const DIR = join(__dirname, '..', 'fixtures', 'layers');
const GPT2 = join(DIR, 'gpt2.safetensors');
const want: { name: string; kind: string; next: string | null }[] = JSON.parse(
  readFileSync(join(DIR, 'expected.json'), 'utf8'),
)['gpt2.safetensors'].layers;

async function gpt2Init(): Promise<HostMessage> {
  const settings = withDefaults();
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
});

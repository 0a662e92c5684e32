// The Live Metrics side-bar view in real Chromium, fed the recorded run.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { sharedSession, openHarness, SCREENSHOTS, type Session } from './browser';
import { feed, liveInit, loadRecorded } from './recording';

const { init, recorded } = loadRecorded();
const LAYER = recorded.layers[0];
const points = recorded.series[LAYER];

describe('Live Metrics view', function () {
  this.timeout(60_000);
  let session: Session;
  before(async () => {
    session = await sharedSession();
  });

  it('shows status, step, loss and the latest clusters, updates live, and opens the panel when clicked', async () => {
    const page = await openHarness(session, 'sidebar', 'dark');
    await feed(page, [liveInit(init, 20)]);
    const clusters = page.locator(`[data-layer="${LAYER}"][data-field="clusters"]`);
    await page.waitForFunction(
      (t) => document.querySelector('[data-field="clusters"]')?.textContent === t,
      String(points[19].clusters),
    );
    assert.match(
      (await page.locator('.live-metrics').textContent()) ?? '',
      new RegExp(`${recorded.run.name} — running.*step ${points[19].step}`),
    );
    await feed(page, [{ type: 'series', run: recorded.run.id, layer: LAYER, points: points.slice(20) }]);
    await page.waitForFunction(
      (t) => document.querySelector('[data-field="clusters"]')?.textContent === t,
      String(points[points.length - 1].clusters),
    );
    assert.equal(await clusters.textContent(), String(points[points.length - 1].clusters));
    await page.screenshot({ path: join(SCREENSHOTS, 'sidebar-dark.png') });
    await page.getByRole('button', { name: /open the Condensation Lens inspector/ }).click();
    const posted = await page.evaluate(() =>
      (window as unknown as { __harness: { posted: { body: { type: string } }[] } }).__harness.posted.map(
        (m) => m.body.type,
      ),
    );
    assert.deepEqual(posted, ['ready', 'openPanel']);
    await page.close();
  });
});

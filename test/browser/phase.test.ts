// The Phase Diagram view in real Chromium, drawing the phase.json of a real `phase` run (recorded/README.md):
// its points where the axes put them, coloured by regime from the theme, and the paper's boundary.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ORIGIN, ROOT, SCREENSHOTS, sharedSession, THEMES, type Session } from './browser';

const recorded = JSON.parse(readFileSync(join(ROOT, 'test/browser/recorded/phase-relu-1d.json'), 'utf8')) as {
  points: { gamma: number; gammaPrime: number; slope: number; regime: string }[];
};

/** A theme colour as getComputedStyle gives it back. */
function rgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
}

const REGIME_COLOUR: Record<string, keyof typeof THEMES.light.vars> = {
  linear: '--vscode-charts-blue',
  critical: '--vscode-charts-yellow',
  condensed: '--vscode-charts-red',
};

/** The pixel position of a grid line (γ for x, γ′ for y), read from the drawn axes. */
async function gridAt(page: Page, axis: 'x' | 'y', value: number): Promise<number> {
  const attr = axis === 'x' ? 'x1' : 'y1';
  return Number(await page.locator(`line.grid-${axis}[data-value="${value}"]`).getAttribute(attr));
}

describe('Phase Diagram view', function () {
  this.timeout(60_000);
  let session: Session;
  let page: Page;
  before(async () => {
    session = await sharedSession();
    page = await session.context.newPage();
    await page.addInitScript(
      (t) => ((window as unknown as { __harnessTheme: unknown }).__harnessTheme = t),
      THEMES.light,
    );
    await page.goto(`${ORIGIN}/test/browser/phaseHarness.html`);
    await page.waitForFunction(() =>
      (window as unknown as { __harness: { posted: { type: string }[] } }).__harness.posted.some(
        (m) => m.type === 'ready',
      ),
    );
    await page.evaluate(
      (points) => window.postMessage({ type: 'phase', source: '/tmp/phase-relu-1d', points }, '*'),
      recorded.points,
    );
    await page.waitForSelector('circle.point');
  });
  after(() => page.close());

  it('draws one point per (γ, γ′) where the axes put it, coloured by its regime', async () => {
    const dots = page.locator('circle.point');
    assert.equal(await dots.count(), recorded.points.length);
    for (const [i, p] of recorded.points.entries()) {
      const dot = dots.nth(i);
      assert.equal(await dot.getAttribute('data-regime'), p.regime);
      // A γ between two grid lines (1.75 between 1.5 and 2) lies in proportion between them.
      const lo = Math.floor(p.gamma * 2) / 2;
      const x =
        (await gridAt(page, 'x', lo)) +
        ((p.gamma - lo) / 0.5) * ((await gridAt(page, 'x', lo + 0.5)) - (await gridAt(page, 'x', lo)));
      assert.ok(Math.abs(Number(await dot.getAttribute('cx')) - x) < 1e-6, `γ = ${p.gamma} at x ${x}`);
      assert.ok(Math.abs(Number(await dot.getAttribute('cy')) - (await gridAt(page, 'y', p.gammaPrime))) < 1e-6);
      const fill = await dot.evaluate((el) => getComputedStyle(el).fill);
      assert.equal(fill, rgb(THEMES.light.vars[REGIME_COLOUR[p.regime]]), p.regime);
    }
    // The folder is the webview's state, for the panel to come back after a window reload.
    assert.deepEqual(
      await page.evaluate(() => (window as unknown as { __harness: { state: unknown } }).__harness.state),
      {
        source: '/tmp/phase-relu-1d',
      },
    );
    // The recorded run has each regime once: three colours.
    const fills = await dots.evaluateAll((els) => els.map((el) => getComputedStyle(el).fill));
    assert.equal(new Set(fills).size, 3);
  });

  it('draws the paper’s boundary: γ = 1 up to γ′ = 0, then γ′ = γ − 1', async () => {
    const corners = ((await page.locator('polyline.boundary').getAttribute('points')) ?? '')
      .trim()
      .split(/\s+/)
      .map((c) => c.split(',').map(Number));
    const [x1, x2, y0, yMinus1, y1] = [
      await gridAt(page, 'x', 1),
      await gridAt(page, 'x', 2),
      await gridAt(page, 'y', 0),
      await gridAt(page, 'y', -1),
      await gridAt(page, 'y', 1),
    ];
    // The window is the paper's: γ from 0 to 2, γ′ from −1 to 1; the line γ′ = γ − 1 leaves it at (2, 1).
    assert.deepEqual(corners, [
      [x1, yMinus1],
      [x1, y0],
      [x2, y1],
    ]);
    assert.equal(await page.locator('text.axis-label-x').textContent(), 'γ');
    assert.equal(await page.locator('text.axis-label-y').textContent(), 'γ′');
  });

  it('shows a legend, and a point’s S_w and regime on hover', async () => {
    assert.deepEqual(await page.locator('.legend-item').allTextContents(), [
      'linear',
      'critical',
      'condensed',
      'boundary (JMLR 2021)',
    ]);
    const condensed = recorded.points.find((p) => p.regime === 'condensed')!;
    await page.locator(`circle.point[data-gamma="${condensed.gamma}"]`).hover();
    const tip = page.locator('.phase-tooltip');
    await tip.waitFor({ state: 'visible' });
    const text = (await tip.textContent()) ?? '';
    assert.ok(text.includes(`S_w = ${condensed.slope.toFixed(3)}`), text);
    assert.ok(text.includes(`γ = ${condensed.gamma}, γ′ = ${condensed.gammaPrime}`), text);
    assert.ok(text.includes('condensed'), text);
    await page.screenshot({ path: join(SCREENSHOTS, 'phase-light.png') });
  });

  it('follows the theme, and breaks no rule of its content security policy', async () => {
    await page.evaluate((t) => (window as unknown as { __applyTheme(t: unknown): void }).__applyTheme(t), THEMES.dark);
    const fill = await page.locator('circle.point[data-regime="linear"]').evaluate((el) => getComputedStyle(el).fill);
    assert.equal(fill, rgb(THEMES.dark.vars['--vscode-charts-blue']));
    assert.deepEqual(
      await page.evaluate(() => (window as unknown as { __harness: { violations: string[] } }).__harness.violations),
      [],
    );
  });
});

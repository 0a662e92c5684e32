// `condensation-lens report` end to end: the file it writes opens offline and shows the independent NumPy figures.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportCommand } from '../../src/cli/report';
import { sharedSession, ROOT, SCREENSHOTS, type Session } from './browser';
import { closeTo } from './recording';

// A real PyTorch run (docs/metrics.md reference, γ = 1) and the values an independent NumPy implementation computed for it.
const RUN = join(ROOT, 'test/fixtures/reference/gamma1');
const expected = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/expected.json'), 'utf8')).runs[
  'reference/gamma1'
] as Record<string, Record<string, Record<string, number>>>;

describe('condensation-lens report', function () {
  this.timeout(90_000);
  let session: Session;
  let dir: string;
  before(async () => {
    session = await sharedSession();
    dir = mkdtempSync(join(tmpdir(), 'condensation-lens-report-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one HTML file that shows the run’s figures and heatmap with no network request', async () => {
    const out = join(dir, 'report.html');
    const stdout = process.stdout.write;
    process.stdout.write = () => true;
    const code = await reportCommand.run([RUN, '-o', out]).finally(() => (process.stdout.write = stdout));
    assert.equal(code, 0);
    const page = await session.context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`file://${out}`);
    const last = Object.keys(expected).sort().pop() as string;
    const cell = (field: string) => page.locator(`td[data-layer="fc1"][data-field="${field}"]`);
    await cell('clusters').waitFor();
    for (const field of [
      'neurons',
      'active',
      'clusters',
      'effectiveClusters',
      'stableRank',
      'largestCluster',
      'relativeChange',
    ]) {
      const shown = Number(await cell(field).textContent());
      assert.ok(
        closeTo(shown, expected[last].fc1[field]),
        `${field}: report shows ${shown}, NumPy says ${expected[last].fc1[field]}`,
      );
    }
    await page.locator('#tab-similarity').click();
    await page.locator('.similarity[data-step="10000"]').waitFor({ state: 'attached' });
    await page.screenshot({ path: join(SCREENSHOTS, 'report-gamma1.png'), fullPage: true });
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:') && !u.startsWith('blob:')),
      [],
    );
    // The page's hash-only CSP lets its own two scripts and stylesheet run; as in the webview, FAST's one
    // <style> probe for :focus-visible is the only thing it refuses.
    const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    assert.deepEqual(
      violations.filter((v) => !v.startsWith('style-src-elem inline')),
      [],
    );
    assert.ok(violations.length <= 1, violations.join('\n'));
    await page.close();
  });

  it('exits 1 with a one-line reason for a folder without checkpoints', async () => {
    const stderr = process.stderr.write;
    let said = '';
    process.stderr.write = ((s: string) => ((said += s), true)) as typeof process.stderr.write;
    const code = await reportCommand
      .run([dir, '-o', join(dir, 'empty.html')])
      .finally(() => (process.stderr.write = stderr));
    assert.equal(code, 1);
    assert.match(said, /no checkpoint in .* could be analysed; nothing written\.\n$/);
  });
});

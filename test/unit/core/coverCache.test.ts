// A detail after a summary reuses the summary's cover (counted), and its figures are those of an uncached detail
// and of the independent NumPy reference (test/fixtures/README.md).
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCheckpointFile, analyzeLayerFile, layerDetail } from '../../../src/core/analyze';
import { neverCancelled } from '../../../src/core/cancel';
import { CoverCache } from '../../../src/core/coverCache';
import { collectRunMessages } from '../../../src/cli/reportMessages';
import { withDefaults } from '../../../src/protocol/settings';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));
const MLP = 'safetensors/mlp_f32.safetensors';
const CONDENSED = 'reference/gamma1/step-010000.pt';
const settings = withDefaults();

/** Cluster labels renumbered by first appearance. */
function canonical(labels: readonly number[]): number[] {
  const seen = new Map<number, number>();
  return labels.map((c) => (c < 0 ? -1 : (seen.get(c) ?? (seen.set(c, seen.size), seen.size - 1))));
}

describe('the cover cache: a detail reuses its summary', () => {
  for (const file of [MLP, CONDENSED]) {
    it(`${file}: the summary's cover serves the detail, which equals an uncached one and NumPy's clusters`, async () => {
      const path = join(FIXTURES, file);
      const covers = new CoverCache();
      const report = await analyzeCheckpointFile(path, settings, undefined, { covers });
      const layers = report.layers.map((l) => l.name);
      assert.equal(covers.covers, layers.length);
      for (const [i, name] of layers.entries()) {
        const cached = await layerDetail(path, name, settings, undefined, neverCancelled, covers);
        assert.equal(covers.covers, layers.length, `${name}: clustered again`);
        assert.equal(covers.reusedCovers, i + 1);
        assert.deepEqual(cached, await layerDetail(path, name, settings));
        const want = expected.checkpoints[file].layers[name];
        assert.equal(new Set(cached.cluster.filter((c) => c >= 0)).size, want.clusters);
        if (want.cluster_of) assert.deepEqual(canonical(cached.cluster), canonical(want.cluster_of));
      }
    });
  }

  it("a run's report: each layer clustered once, its details equal uncached ones (the baseline's ghost too)", async () => {
    const run = join(FIXTURES, 'reference', 'gamma1');
    const covers = new CoverCache();
    const { messages, report } = await collectRunMessages(run, settings, (n) => [n - 1], undefined, covers);
    const summaries = report.checkpoints.reduce((sum, c) => sum + c.layers.length, 0);
    const details = messages.flatMap((m) => (m.type === 'detail' ? [m.detail] : []));
    assert.equal(details.length, report.checkpoints.at(-1)!.layers.length);
    assert.ok(details.length > 0 && summaries > details.length);
    assert.equal(covers.covers, summaries, 'the details clustered nothing again');
    assert.equal(covers.reusedCovers, details.length);
    const last = join(run, report.checkpoints.at(-1)!.path);
    const first = join(run, report.checkpoints[0].path);
    for (const d of details) assert.deepEqual(d, await layerDetail(last, d.layer, settings, first));
  });

  it('clusters again for other settings, another layer or a rewritten file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cover-cache-'));
    try {
      const path = join(dir, 'mlp.safetensors');
      copyFileSync(join(FIXTURES, MLP), path);
      const covers = new CoverCache();
      await analyzeLayerFile(path, 'fc1', settings, undefined, neverCancelled, covers);
      await layerDetail(path, 'fc1', settings, undefined, neverCancelled, covers);
      assert.deepEqual([covers.covers, covers.reusedCovers], [1, 1]);
      const looser = withDefaults({ threshold: 0.5 });
      const detail = await layerDetail(path, 'fc1', looser, undefined, neverCancelled, covers);
      assert.deepEqual(detail, await layerDetail(path, 'fc1', looser));
      await layerDetail(path, 'fc2', settings, undefined, neverCancelled, covers);
      assert.deepEqual([covers.covers, covers.reusedCovers], [3, 1]);
      utimesSync(path, new Date(), new Date(Date.now() + 5000));
      await layerDetail(path, 'fc1', settings, undefined, neverCancelled, covers);
      assert.deepEqual([covers.covers, covers.reusedCovers], [4, 1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the most recent covers within its byte budget', async () => {
    const covers = new CoverCache(1);
    const path = join(FIXTURES, MLP);
    await analyzeCheckpointFile(path, settings, undefined, { covers });
    await layerDetail(path, 'fc2', settings, undefined, neverCancelled, covers);
    await layerDetail(path, 'fc1', settings, undefined, neverCancelled, covers);
    assert.deepEqual([covers.covers, covers.reusedCovers], [3, 1]);
  });
});

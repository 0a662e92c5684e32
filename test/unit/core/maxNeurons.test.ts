// analysis.maxNeurons: larger layers get only active count and stable rank automatically, everything on request.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCheckpointFile, analyzeLayerFile } from '../../../src/core/analyze';
import { withDefaults } from '../../../src/protocol/settings';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
/** Values of the independent NumPy implementation (test/fixtures/README.md). */
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));
const FILE = 'safetensors/mlp_f32.safetensors';
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);

describe('analysis.maxNeurons', () => {
  it('defaults to 16 384 and refuses what is not a positive integer', () => {
    assert.equal(withDefaults().maxNeurons, 16_384);
    assert.throws(() => withDefaults({ maxNeurons: 0 }), /maxNeurons/);
    assert.throws(() => withDefaults({ maxNeurons: 2.5 }), /maxNeurons/);
  });

  it('a layer above it gets its active count and stable rank, and its clusters only on request', async () => {
    const want = expected.checkpoints[FILE].layers;
    const small = Math.min(want.fc1.neurons, want.fc2.neurons);
    const big = want.fc1.neurons > want.fc2.neurons ? 'fc1' : 'fc2';
    const settings = withDefaults({ maxNeurons: small });
    const report = await analyzeCheckpointFile(join(FIXTURES, FILE), settings);
    for (const l of report.layers) {
      const w = want[l.name];
      assert.equal(l.active, w.active);
      near(l.stableRank, w.stableRank);
      if (l.name === big) {
        assert.equal(l.deferred, true);
        assert.deepEqual([l.clusters, l.effectiveClusters, l.largestCluster], [0, 0, 0]);
      } else {
        assert.equal(l.deferred, undefined);
        assert.equal(l.clusters, w.clusters);
      }
    }
    const asked = await analyzeLayerFile(join(FIXTURES, FILE), big, settings);
    assert.equal(asked.deferred, undefined);
    assert.deepEqual([asked.clusters, asked.largestCluster], [want[big].clusters, want[big].largestCluster]);
    near(asked.effectiveClusters, want[big].effectiveClusters);
  });
});

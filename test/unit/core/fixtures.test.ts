// The engine against an independent NumPy implementation of docs/metrics.md run on files written by
// real PyTorch, NumPy and TF.js (test/fixtures/make_fixtures.py wrote expected.json).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCheckpointFile, analyzeRun, layerDetail } from '../../../src/core/analyze';
import type { LayerSummary } from '../../../src/protocol/report';
import { type AnalysisSettings, withDefaults } from '../../../src/protocol/settings';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
type Figures = Omit<LayerSummary, 'name' | 'kind'>;
interface ExpectedLayer extends Figures {
  kind: string;
  amplitudes?: number[];
  active_mask?: boolean[] | number[];
  cluster_of?: number[];
  orientation?: number[];
  heatmap_order?: number[];
}
const expected: {
  checkpoints: Record<string, { step: number | null; layers: Record<string, ExpectedLayer> }>;
  variants: { checkpoint: string; settings: Partial<AnalysisSettings>; layers: Record<string, Figures> }[];
  runs: Record<string, Record<string, Record<string, Figures>>>;
} = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));

const near = (actual: number, want: number, what: string, rel = 1e-4) =>
  assert.ok(Math.abs(actual - want) <= rel * Math.max(1, Math.abs(want)), `${what}: ${actual} vs expected ${want}`);

function assertFigures(actual: LayerSummary | undefined, want: Figures, where: string) {
  assert.ok(actual, `${where}: layer missing`);
  for (const key of ['neurons', 'inputDim', 'active', 'clusters', 'largestCluster'] as const)
    assert.equal(actual[key], want[key], `${where} ${key}`);
  near(actual.effectiveClusters, want.effectiveClusters, `${where} effectiveClusters`);
  near(actual.stableRank, want.stableRank, `${where} stableRank`, 1e-3);
  if (want.relativeChange !== undefined)
    near(actual.relativeChange ?? NaN, want.relativeChange, `${where} relativeChange`);
}

/** Cluster labels renumbered by first appearance, so creation order and mass order compare. */
function canonical(labels: readonly number[]): number[] {
  const seen = new Map<number, number>();
  return labels.map((c) => (c < 0 ? -1 : (seen.get(c) ?? (seen.set(c, seen.size), seen.size - 1))));
}

describe('engine vs the NumPy reference on real checkpoints', () => {
  for (const [file, want] of Object.entries(expected.checkpoints)) {
    it(`${file}: every layer's figures`, async () => {
      const report = await analyzeCheckpointFile(join(FIXTURES, file), withDefaults());
      assert.equal(report.error, null);
      assert.deepEqual(report.layers.map((l) => l.name).sort(), Object.keys(want.layers).sort());
      for (const [name, layer] of Object.entries(want.layers)) {
        const got = report.layers.find((l) => l.name === name);
        assertFigures(got, layer, `${file} ${name}`);
        assert.equal(got?.kind, layer.kind);
      }
    });
  }

  for (const [file, want] of Object.entries(expected.checkpoints)) {
    for (const [name, layer] of Object.entries(want.layers).filter(([, l]) => l.amplitudes)) {
      it(`${file} ${name}: amplitudes, active set, clusters, orientation and heatmap order per neuron`, async () => {
        const d = await layerDetail(join(FIXTURES, file), name, withDefaults());
        d.amplitude.forEach((a, k) => near(a, layer.amplitudes![k], `A_${k}`));
        assert.deepEqual(
          d.cluster.map((c) => c >= 0),
          layer.active_mask!.map(Boolean),
        );
        assert.deepEqual(canonical(d.cluster), canonical(layer.cluster_of!));
        d.theta.forEach((t, k) => {
          const w = layer.orientation![k];
          assert.ok(Math.hypot(Math.cos(t) - Math.cos(w), Math.sin(t) - Math.sin(w)) < 1e-3, `θ_${k}: ${t} vs ${w}`);
          assert.ok(t > -Math.PI && t <= Math.PI);
        });
        assert.deepEqual(d.heatmap.order, layer.heatmap_order);
      });
    }
  }

  for (const v of expected.variants) {
    it(`${v.checkpoint} with ${JSON.stringify(v.settings)}`, async () => {
      const report = await analyzeCheckpointFile(join(FIXTURES, v.checkpoint), withDefaults(v.settings));
      for (const [name, want] of Object.entries(v.layers))
        assertFigures(
          report.layers.find((l) => l.name === name),
          want,
          `${v.checkpoint} ${name}`,
        );
    });
  }

  for (const [run, files] of Object.entries(expected.runs)) {
    it(`${run}: the run in step order with relativeChange against its first checkpoint`, async () => {
      const report = await analyzeRun(join(FIXTURES, run));
      assert.deepEqual(
        report.checkpoints.map((c) => c.path),
        Object.keys(files),
      );
      for (const c of report.checkpoints) {
        for (const [name, want] of Object.entries(files[c.path]))
          assertFigures(
            c.layers.find((l) => l.name === name),
            want,
            `${run}/${c.path} ${name}`,
          );
      }
    });
  }

  it('a TF.js run of model.json folders takes each step from its folder name (docs/formats.md step rule)', async () => {
    const run = mkdtempSync(join(tmpdir(), 'cl-tfjs-run-'));
    for (const step of ['step-20', 'step-100']) {
      mkdirSync(join(run, 'checkpoints', step), { recursive: true });
      for (const f of ['model.json', 'weights.bin'])
        copyFileSync(join(FIXTURES, 'tfjs', f), join(run, 'checkpoints', step, f));
    }
    const report = await analyzeRun(run);
    assert.deepEqual(
      report.checkpoints.map((c) => [c.path, c.step]),
      [
        ['checkpoints/step-20/model.json', 20],
        ['checkpoints/step-100/model.json', 100],
      ],
    );
    assertFigures(
      report.checkpoints[1].layers.find((l) => l.name === 'dense_1'),
      expected.checkpoints['tfjs/model.json'].layers.dense_1,
      'step-100 dense_1',
    );
  });

  it('reproduces the docs/metrics.md reference regimes: γ = 1 condenses to 2 clusters, γ = 0.25 stays near 12', async () => {
    const [condensed, linear] = await Promise.all(
      ['reference/gamma1', 'reference/gamma025'].map((r) => analyzeRun(join(FIXTURES, r))),
    );
    const last = (r: typeof condensed) => r.checkpoints[r.checkpoints.length - 1].layers[0];
    assert.equal(last(condensed).clusters, 2);
    near(last(condensed).effectiveClusters, 2.0, 'γ=1 effectiveClusters', 0.05);
    assert.ok(last(linear).effectiveClusters >= 11 && last(linear).effectiveClusters <= 13);
    near(condensed.checkpoints[0].layers[0].effectiveClusters, 12, 'step 0 effectiveClusters', 0.1);
  });
});

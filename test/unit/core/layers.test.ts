// Layer discovery on real architectures against the hand-written expectations and NumPy figures of
// test/fixtures/make_layer_fixtures.py: which layers, in model order, their kind, view and next layer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCheckpointFile } from '../../../src/core/analyze';
import type { LayerSummary } from '../../../src/protocol/report';
import { type AnalysisSettings, withDefaults } from '../../../src/protocol/settings';

const DIR = join(__dirname, '..', '..', 'fixtures', 'layers');
type Expected = Pick<LayerSummary, 'name' | 'kind' | 'view' | 'next'> & Record<string, number | string | null>;
const expected: Record<
  string,
  { layers: Expected[]; variants?: { settings: Partial<AnalysisSettings>; layers: Expected[] }[] }
> = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));

const near = (actual: number, want: number, what: string, rel = 1e-4) =>
  assert.ok(Math.abs(actual - want) <= rel * Math.max(1, Math.abs(want)), `${what}: ${actual} vs expected ${want}`);

async function assertLayers(file: string, settings: Partial<AnalysisSettings>, want: Expected[]) {
  const report = await analyzeCheckpointFile(join(DIR, file), withDefaults(settings));
  assert.equal(report.error, null);
  const pick = (l: Pick<LayerSummary, 'name' | 'kind' | 'view' | 'next'>) => [l.name, l.kind, l.view, l.next];
  assert.deepEqual(report.layers.map(pick), want.map(pick), `${file}: layers, kinds, views and next layers`);
  for (const [i, w] of want.entries()) {
    const got = report.layers[i];
    for (const key of ['neurons', 'inputDim', 'active', 'clusters', 'largestCluster'] as const)
      assert.equal(got[key], w[key], `${file} ${w.name} ${key}`);
    near(got.effectiveClusters, w.effectiveClusters as number, `${file} ${w.name} effectiveClusters`);
    near(got.stableRank, w.stableRank as number, `${file} ${w.name} stableRank`, 1e-3);
  }
}

describe('layers of real architectures (rule table) vs the NumPy reference', () => {
  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: layers in model order, kinds, views, next layers and figures`, () =>
      assertLayers(file, {}, want.layers));
    for (const v of want.variants ?? [])
      it(`${file} with ${JSON.stringify(v.settings)}`, () => assertLayers(file, v.settings, v.layers));
  }

  it('GPT-2: the 8 directions planted among h.0.mlp.c_fc’s 4d neurons read as 8 clusters', async () => {
    const report = await analyzeCheckpointFile(join(DIR, 'gpt2.safetensors'), withDefaults());
    const fc = report.layers.find((l) => l.name === 'transformer.h.0.mlp.c_fc');
    assert.deepEqual([fc?.neurons, fc?.inputDim, fc?.clusters], [64, 17, 8]);
  });
});

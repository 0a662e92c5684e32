// Real training runs show the regimes of docs/metrics.md "Reference values", measured by the engine.
import assert from 'node:assert/strict';
import { analyzeRun } from '../../../src/core/analyze';
import type { LayerSummary, RunReport } from '../../../src/protocol/report';
import { trainPreset } from './helpers';

function fc1(report: RunReport): LayerSummary[] {
  return report.checkpoints.map((c) => {
    assert.equal(c.error, null);
    const layer = c.layers.find((l) => l.name === 'fc1');
    assert.ok(layer, `${c.path} has no fc1 layer`);
    return layer;
  });
}

describe('trainer regimes (relu-1d, dropout-tanh-1d, tanh-5d)', function () {
  // 10 000 TF.js steps take about 40 s on a quiet machine; several times that on a loaded one.
  this.timeout(400_000);

  // The full 10 000 steps: at γ = 1 the effective count passes ≈ 3 near step 3000 before settling at 2.
  it('relu-1d at γ = 1 condenses: effectiveClusters ≈ 12 at step 0, ≤ 2.6 after 10 000 steps', async () => {
    const run = await trainPreset('relu-1d', { every: 10_000 });
    assert.equal(run.step, 10_000);
    const [first, last] = fc1(await analyzeRun(run.dir));
    assert.ok(first.effectiveClusters >= 8, `step 0: ${first.effectiveClusters}`);
    assert.ok(last.effectiveClusters <= 2.6, `step 10000: ${last.effectiveClusters}`);
  });

  it('relu-1d at γ = 0.25 stays spread (linear regime): effectiveClusters ≥ 8 after 10 000 steps', async () => {
    const run = await trainPreset('relu-1d', { every: 10_000, gamma: 0.25 });
    const [, last] = fc1(await analyzeRun(run.dir));
    assert.ok(last.effectiveClusters >= 8, `step 10000: ${last.effectiveClusters}`);
  });

  it('dropout-tanh-1d condenses with dropout (effectiveClusters ≤ 2.6) and much less without it (≥ 3)', async () => {
    const [, withDropout] = fc1(await analyzeRun((await trainPreset('dropout-tanh-1d', { every: 10_000 })).dir));
    const [, without] = fc1(
      await analyzeRun((await trainPreset('dropout-tanh-1d', { every: 10_000, dropout: 0 })).dir),
    );
    assert.ok(withDropout.effectiveClusters <= 2.6, `with dropout: ${withDropout.effectiveClusters}`);
    assert.ok(without.effectiveClusters >= 3, `without dropout: ${without.effectiveClusters}`);
  });

  it('tanh-5d condenses to ≤ 3 clusters within 50 steps, then grows (the PyTorch run: 43 → 2 → 8)', async () => {
    const run = await trainPreset('tanh-5d', {});
    const report = await analyzeRun(run.dir);
    const layers = fc1(report);
    const steps = report.checkpoints.map((c) => c.step);
    assert.equal(steps.length, 61);
    assert.equal(steps.at(-1), 300);
    const early = Math.min(...layers.filter((_, i) => (steps[i] ?? Infinity) <= 50).map((l) => l.clusters));
    assert.ok(layers[0].clusters >= 30, `step 0: ${layers[0].clusters} clusters`);
    assert.ok(early <= 3, `fewest clusters in the first 50 steps: ${early}`);
    assert.ok(layers.at(-1)!.clusters > early, `final ${layers.at(-1)!.clusters} vs early minimum ${early}`);
  });
});

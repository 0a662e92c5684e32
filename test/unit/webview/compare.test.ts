import { strict as assert } from 'node:assert';
import type { LayerPoint, RunInfo } from '../../../src/protocol/panel';
import { finalAgainstConfig, finalValue, runStep } from '../../../webview/compare';
import type { RunData } from '../../../webview/state';

const point = (step: number, clusters: number, effectiveClusters: number): LayerPoint => ({
  step,
  neurons: 8,
  inputDim: 2,
  active: 6,
  clusters,
  effectiveClusters,
  stableRank: 1.5,
  largestCluster: 3,
});
const settings = {
  threshold: 0.95,
  similarity: 'signed' as const,
  activeFraction: 0.05,
  includeBias: true,
  heatmapMaxNeurons: 2048,
};
function runData(id: string, config: RunInfo['config'], points: LayerPoint[], loss: number[]): RunData {
  return {
    run: { id, name: id, folder: `/runs/${id}`, status: 'finished', config },
    settings,
    layers: ['fc1'],
    series: { fc1: points },
    loss: loss.map((l, i) => ({ step: i * 100, loss: l })),
    metrics: {},
    problems: [],
    steps: points.map((p) => p.step),
  };
}

describe('compare model (several runs in one panel)', () => {
  const small = runData('small', { gamma: 4, width: 8 }, [point(0, 7, 6.5), point(200, 2, 1.8)], [1, 0.1, 0.01]);
  const large = runData('large', { gamma: 0.5, width: 8 }, [point(0, 8, 7.9), point(150, 8, 7.6)], [1, 0.5]);

  it("takes each run's final figure: its newest checkpoint's value, its last loss", () => {
    assert.equal(finalValue(small, 'fc1', 'effectiveClusters'), 1.8);
    assert.equal(finalValue(small, 'fc1', 'clusters'), 2);
    assert.equal(finalValue(small, 'fc1', 'loss'), 0.01);
    assert.equal(finalValue(small, 'fc9', 'clusters'), undefined);
  });

  it('charts the final figure against the config value that differs, in ascending order of it', () => {
    const model = finalAgainstConfig([small, large], 'fc1', 'effectiveClusters', undefined);
    assert.deepEqual(model.keys, ['gamma']);
    assert.equal(model.axis, 'γ');
    assert.deepEqual(
      model.points.map((p) => [p.label, p.x, p.y]),
      [
        ['γ = 0.5', 0.5, 7.6],
        ['γ = 4', 4, 1.8],
      ],
    );
    // A key that does not differ is not offered; the first one that does is used instead.
    assert.equal(finalAgainstConfig([small, large], 'fc1', 'loss', 'width').key, 'gamma');
  });

  it('has nothing to chart when no number differs', () => {
    const same = runData('same', { gamma: 4, width: 8 }, [point(0, 3, 3)], [1]);
    assert.deepEqual(finalAgainstConfig([small, same], 'fc1', 'clusters', undefined), { keys: [], points: [] });
  });

  it('shows each run at its own checkpoint nearest the chosen step, or its last without one', () => {
    assert.equal(runStep(large, 200), 150);
    assert.equal(runStep(small, 120), 200);
    assert.equal(runStep(large, undefined), 150);
  });
});

import { strict as assert } from 'node:assert';
import type { LayerPoint, RunInfo } from '../../../src/protocol/panel';
import { comparedLines, finalAgainstConfig, finalValue, lineSteps, pointNear, runStep } from '../../../webview/compare';
import { compareStem, compareStepsSvg } from '../../../webview/compareExport';
import { initialState, reduce, type RunData } from '../../../webview/state';
import { svgElements, texts } from '../helpers/svg';

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
    notes: [],
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

  it('draws a line per run, labelled by run, the loss on a log axis only when it spans ten times or more', () => {
    const clusters = comparedLines([small, large], 'fc1', 'clusters', false);
    assert.deepEqual(
      clusters.lines.map((l) => [l.run, l.label, l.index, l.points]),
      [
        [
          'small',
          'γ = 4',
          0,
          [
            { x: 0, y: 7 },
            { x: 200, y: 2 },
          ],
        ],
        [
          'large',
          'γ = 0.5',
          1,
          [
            { x: 0, y: 8 },
            { x: 150, y: 8 },
          ],
        ],
      ],
    );
    assert.equal(clusters.logY, false);
    // small's loss goes from 1 to 0.01: a hundred times.
    assert.equal(comparedLines([small, large], 'fc1', 'loss', false).logY, true);
    assert.equal(comparedLines([large], 'fc1', 'loss', false).logY, false);
    // A log step axis leaves step 0 out.
    const logX = comparedLines([small, large], 'fc1', 'clusters', true);
    assert.deepEqual(lineSteps(logX.lines), [150, 200]);
    assert.deepEqual(lineSteps(clusters.lines), [0, 150, 200]);
  });

  it("finds a line's point nearest a step, the earlier one on a tie", () => {
    const points = [0, 10, 20, 40].map((x) => ({ x, y: x * 2 }));
    assert.deepEqual(
      [-5, 0, 4, 5, 6, 20, 29, 30, 31, 99].map((s) => pointNear(points, s)?.x),
      [0, 0, 0, 0, 10, 20, 20, 20, 40, 40],
    );
    assert.equal(pointNear([], 3), undefined);
  });

  it('captions the compare figure with each run’s settings when they differ, and names its files after the runs', () => {
    const tight = { ...large, settings: { ...settings, threshold: 0.9, similarity: 'absolute' as const } };
    const state = reduce(initialState(), { type: 'host', message: { type: 'init', runs: [small, tight] } });
    const svg = svgElements(compareStepsSvg(state));
    assert.ok(
      texts(svg).includes(
        'layer fc1 · γ = 4: threshold 0.95, signed similarity; γ = 0.5: threshold 0.9, absolute similarity',
      ),
      texts(svg).join(' | '),
    );
    assert.deepEqual(
      svg.filter((e) => e.attrs.class === 'series').map((e) => e.attrs['data-label']),
      ['γ = 4', 'γ = 0.5', 'γ = 4', 'γ = 0.5', 'γ = 4', 'γ = 0.5'],
    );
    assert.equal(compareStem(state), 'compare-small-vs-large');
    const four = ['a', 'b', 'c', 'd'].map((id, i) => runData(id, { gamma: i }, [point(0, 1, 1)], [1]));
    assert.equal(
      compareStem(reduce(initialState(), { type: 'host', message: { type: 'init', runs: four } })),
      'compare-a-and-3-more',
    );
  });
});

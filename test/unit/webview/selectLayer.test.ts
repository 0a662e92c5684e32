// The host's `select` (a CodeLens above a layer's definition was clicked): the panel shows that
// layer's orientation at that step.
import { strict as assert } from 'node:assert';
import type { HostMessage, LayerPoint } from '../../../src/protocol/panel';
import { initialState, reduce, type Action } from '../../../webview/state';

const point = (step: number, clusters: number): LayerPoint => ({
  step,
  neurons: 8,
  inputDim: 2,
  active: 6,
  clusters,
  effectiveClusters: clusters,
  stableRank: 1,
  largestCluster: 3,
});
const host = (message: HostMessage): Action => ({ type: 'host', message });
const init = host({
  type: 'init',
  run: { id: 'r', name: 'mlp', folder: '/runs/mlp', status: 'running' },
  settings: { threshold: 0.95, similarity: 'signed', activeFraction: 0.05, includeBias: true, heatmapMaxNeurons: 2048 },
  layers: ['fc1', 'fc2'],
  series: { fc1: [point(0, 9), point(100, 4)], fc2: [point(0, 5), point(100, 2)] },
  loss: [],
  problems: [],
});

describe('webview state: select from the host', () => {
  it('selects the layer and the step on the Orientation tab, following when it is the latest step', () => {
    const s = [init, host({ type: 'select', layer: 'fc2', step: 100 })].reduce(reduce, initialState());
    assert.deepEqual([s.view.layer, s.view.step, s.view.tab, s.view.follow], ['fc2', 100, 'orientation', true]);
    assert.deepEqual(s.view.shown, ['fc2']);
  });

  it('goes to the nearest step and stops following an earlier one; an unknown layer keeps the selection', () => {
    const s = [init, host({ type: 'select', layer: 'fc9', step: 10 })].reduce(reduce, initialState());
    assert.deepEqual([s.view.layer, s.view.step, s.view.follow], ['fc1', 0, false]);
  });
});

import { strict as assert } from 'node:assert';
import type { HostMessage, LayerPoint, RunInfo, RunState } from '../../../src/protocol/panel';
import {
  initialState,
  layersInView,
  reduce,
  savedState,
  snapshotMessages,
  stepIndex,
  type Action,
  type PanelState,
} from '../../../webview/state';

const point = (step: number, clusters: number): LayerPoint => ({
  step,
  neurons: 8,
  inputDim: 2,
  active: 6,
  clusters,
  effectiveClusters: clusters - 0.5,
  stableRank: 1.5,
  largestCluster: 3,
});
const run = (status: RunInfo['status']): RunInfo => ({ id: 'r', name: 'relu', folder: '/runs/relu', status });
const settings = {
  threshold: 0.95,
  similarity: 'signed' as const,
  activeFraction: 0.05,
  includeBias: true,
  heatmapMaxNeurons: 2048,
};
const runState = (status: RunInfo['status']): RunState => ({
  run: run(status),
  settings,
  layers: ['fc1', 'fc2'],
  series: { fc1: [point(0, 12), point(100, 5), point(200, 2)], fc2: [point(0, 7), point(200, 3)] },
  loss: [{ step: 0, loss: 1 }],
  problems: [],
});
const init = (status: RunInfo['status']): HostMessage => ({ type: 'init', runs: [runState(status)] });
const apply = (s: PanelState, ...actions: Action[]) => actions.reduce(reduce, s);
const host = (message: HostMessage): Action => ({ type: 'host', message });

describe('webview state', () => {
  it('keeps the notes per checkpoint: a notes message replaces that checkpoint’s, an empty one drops them', () => {
    const note = (path: string, notes: string[]) => ({ path, name: path.slice(1), step: 100, notes });
    const withNotes: HostMessage = { type: 'init', runs: [{ ...runState('running'), notes: [note('/a.pt', ['x'])] }] };
    const notes = (run: string, path: string, n: string[]): Action =>
      host({ type: 'notes', run, checkpoint: note(path, n) });
    let s = apply(initialState(), host(withNotes));
    assert.deepEqual(s.notes, [note('/a.pt', ['x'])]);
    s = apply(s, notes('r', '/b.pt', ['x']), notes('r', '/a.pt', ['y']));
    assert.deepEqual(s.notes, [note('/b.pt', ['x']), note('/a.pt', ['y'])]);
    s = apply(s, notes('r', '/b.pt', []), notes('other run', '/c.pt', ['z']));
    assert.deepEqual(s.notes, [note('/a.pt', ['y'])]);
    assert.deepEqual(apply(initialState(), host(init('running'))).notes, [], 'an init without notes (older hosts)');
    const [again] = snapshotMessages(s, []);
    assert.ok(again.type === 'init');
    assert.deepEqual(again.runs[0].notes, [note('/a.pt', ['y'])], 'the HTML report of the panel keeps them');
  });

  it('starts a live run on its last step, following, with the first layer shown', () => {
    const s = apply(initialState(), host(init('running')));
    assert.deepEqual(s.steps, [0, 100, 200]);
    assert.equal(s.view.step, 200);
    assert.equal(s.view.follow, true);
    assert.equal(s.view.layer, 'fc1');
    assert.deepEqual(s.view.shown, ['fc1']);
    assert.equal(s.view.tab, 'overSteps');
  });

  it('saves the run folder with the view, for the host to reopen the panel after a reload', () => {
    const s = apply(initialState(), host(init('running')), { type: 'selectTab', tab: 'similarity' });
    const saved = JSON.parse(JSON.stringify(savedState(s)));
    assert.deepEqual(saved.run, { folder: '/runs/relu' });
    assert.deepEqual(saved.runs, [{ folder: '/runs/relu' }]);
    assert.equal(apply(initialState(saved), host(init('running'))).view.tab, 'similarity');
  });

  it('goes back to the empty state, keeping the view, when its run is closed', () => {
    const s = apply(
      initialState(),
      host(init('running')),
      { type: 'selectTab', tab: 'similarity' },
      host({ type: 'cleared' }),
    );
    assert.equal(s.run, undefined);
    assert.deepEqual([s.layers, s.series, s.steps, s.ready], [[], {}, [], false]);
    assert.equal(s.view.tab, 'similarity');
  });

  it('does not follow a finished run', () => {
    const s = apply(initialState(), host(init('finished')));
    assert.equal(s.view.follow, false);
    assert.equal(s.view.step, 200);
  });

  it('restores a saved tab, layer and step (to the nearest checkpoint) without following', () => {
    const s = apply(initialState({ tab: 'similarity', layer: 'fc2', step: 90, follow: false }), host(init('running')));
    assert.equal(s.view.tab, 'similarity');
    assert.equal(s.view.layer, 'fc2');
    assert.equal(s.view.step, 100);
    assert.equal(s.view.follow, false);
  });

  it('falls back to the first layer when the saved one is gone, and ignores malformed saved fields', () => {
    const s = apply(initialState({ layer: 'conv9', tab: 'nope' as never, step: 'x' as never }), host(init('finished')));
    assert.equal(s.view.layer, 'fc1');
    assert.equal(s.view.tab, 'overSteps');
    assert.equal(s.view.step, 200);
  });

  it('moves to a new checkpoint while following, and stays put when not', () => {
    const following = apply(
      initialState(),
      host(init('running')),
      host({ type: 'series', run: 'r', layer: 'fc1', points: [point(300, 2)] }),
    );
    assert.equal(following.view.step, 300);
    assert.deepEqual(following.steps, [0, 100, 200, 300]);
    const pinned = apply(
      initialState(),
      host(init('running')),
      { type: 'selectStep', step: 100 },
      host({ type: 'series', run: 'r', layer: 'fc1', points: [point(300, 2)] }),
    );
    assert.equal(pinned.view.step, 100);
    assert.equal(pinned.view.follow, false);
  });

  it('steps one checkpoint at a time within the ends, and jumps to the ends', () => {
    let s = apply(initialState(), host(init('running')), { type: 'stepBy', delta: -1 });
    assert.equal(s.view.step, 100);
    assert.equal(s.view.follow, false);
    s = apply(s, { type: 'stepBy', delta: -5 });
    assert.equal(s.view.step, 0);
    assert.equal(stepIndex(s), 0);
    s = apply(s, { type: 'stepToEnd', end: 'last' });
    assert.equal(s.view.step, 200);
    s = apply(s, { type: 'stepToEnd', end: 'first' }, { type: 'setFollow', follow: true });
    assert.equal(s.view.step, 200);
    assert.equal(s.view.follow, true);
  });

  it('replaces a series on reset and merges points otherwise', () => {
    let s = apply(
      initialState(),
      host(init('finished')),
      host({ type: 'series', run: 'r', layer: 'fc2', points: [point(100, 4)] }),
    );
    assert.deepEqual(
      s.series.fc2.map((p) => p.step),
      [0, 100, 200],
    );
    s = apply(s, host({ type: 'series', run: 'r', layer: 'fc2', points: [point(0, 9)], reset: true }));
    assert.deepEqual(
      s.series.fc2.map((p) => [p.step, p.clusters]),
      [[0, 9]],
    );
  });

  it('keeps at least one layer shown, and the picker replaces a single shown layer', () => {
    let s = apply(initialState(), host(init('finished')), { type: 'toggleShown', layer: 'fc1' });
    assert.deepEqual(s.view.shown, ['fc1']);
    s = apply(s, { type: 'selectLayer', layer: 'fc2' });
    assert.deepEqual(s.view.shown, ['fc2']);
    s = apply(s, { type: 'toggleShown', layer: 'fc1' });
    assert.deepEqual(s.view.shown, ['fc1', 'fc2']);
  });

  it('names the layers in view for the host: the selected one, those drawn, then the table rows in view, once each', () => {
    let s = apply(initialState(), host(init('running')), { type: 'selectLayer', layer: 'fc2' });
    assert.deepEqual(layersInView(s, []), ['fc2']);
    s = apply(s, { type: 'toggleShown', layer: 'fc1' });
    assert.deepEqual(layersInView(s, ['fc2', 'head']), ['fc2', 'fc1', 'head']);
  });

  it('sorts by a field descending first, then flips on a second click', () => {
    let s = apply(initialState(), { type: 'sortBy', field: 'clusters' });
    assert.deepEqual(s.view.sort, { field: 'clusters', descending: true });
    s = apply(s, { type: 'sortBy', field: 'clusters' });
    assert.deepEqual(s.view.sort, { field: 'clusters', descending: false });
  });

  it('snapshots into messages that rebuild the same series', () => {
    const s = apply(
      initialState(),
      host(init('finished')),
      host({ type: 'loss', run: 'r', points: [{ step: 200, loss: 0.5 }] }),
    );
    const rebuilt = snapshotMessages(s, []).reduce((acc, m) => reduce(acc, host(m)), initialState());
    assert.deepEqual(rebuilt.series, s.series);
    assert.deepEqual(rebuilt.loss, [
      { step: 0, loss: 1 },
      { step: 200, loss: 0.5 },
    ]);
  });
});

describe('webview state: select from the host (a CodeLens above a layer was clicked)', () => {
  it('selects the layer and the step on the Orientation tab, following when it is the latest step', () => {
    const s = apply(initialState(), host(init('running')), host({ type: 'select', layer: 'fc2', step: 200 }));
    assert.deepEqual([s.view.layer, s.view.step, s.view.tab, s.view.follow], ['fc2', 200, 'orientation', true]);
    assert.deepEqual(s.view.shown, ['fc2']);
  });

  it('goes to the nearest step and stops following an earlier one; an unknown layer keeps the selection', () => {
    const s = apply(initialState(), host(init('running')), host({ type: 'select', layer: 'fc9', step: 90 }));
    assert.deepEqual([s.view.layer, s.view.step, s.view.follow], ['fc1', 100, false]);
  });
});

describe('webview state over several runs (Compare)', () => {
  const other: RunState = {
    run: { id: 'q', name: 'relu-2', folder: '/runs/relu-2', status: 'running' },
    settings: { ...settings, threshold: 0.9 },
    layers: ['fc1'],
    series: { fc1: [point(50, 9), point(250, 4)] },
    loss: [{ step: 50, loss: 2 }],
    problems: [],
  };
  const two: HostMessage = { type: 'init', runs: [runState('finished'), other] };

  it('holds every run; the scrubber goes over the steps of all of them, the single-run views show the first', () => {
    const s = apply(initialState(), host(two));
    assert.deepEqual(
      s.compared.map((r) => [r.run.id, r.steps]),
      [
        ['r', [0, 100, 200]],
        ['q', [50, 250]],
      ],
    );
    assert.deepEqual(s.steps, [0, 50, 100, 200, 250]);
    assert.equal(s.run?.id, 'r');
    assert.deepEqual(s.layers, ['fc1', 'fc2']);
    assert.equal(s.view.follow, true, 'one of the runs is live');
    assert.equal(s.view.step, 250);
  });

  it('puts each message where its run is, and ignores a run it does not show', () => {
    const s = apply(
      initialState(),
      host(two),
      host({ type: 'series', run: 'q', layer: 'fc1', points: [point(300, 3)] }),
      host({ type: 'loss', run: 'q', points: [{ step: 300, loss: 1.5 }] }),
      host({ type: 'settings', run: 'q', settings: { ...settings, similarity: 'absolute' } }),
      host({ type: 'series', run: 'elsewhere', layer: 'fc1', points: [point(999, 1)] }),
    );
    const [r, q] = s.compared;
    assert.deepEqual(
      r.series.fc1.map((p) => p.step),
      [0, 100, 200],
    );
    assert.deepEqual(
      q.series.fc1.map((p) => p.step),
      [50, 250, 300],
    );
    assert.deepEqual(
      q.loss.map((p) => p.step),
      [50, 300],
    );
    assert.deepEqual([r.settings.similarity, q.settings.similarity], ['signed', 'absolute']);
    assert.ok(!s.steps.includes(999));
  });

  it('focuses another run for the header and the Layers table; choices are kept per run and saved', () => {
    const s = apply(
      initialState(),
      host(two),
      { type: 'focusRun', run: 'q' },
      { type: 'choose', run: 'q', choices: { threshold: 0.8 } },
      { type: 'choose', run: 'r', choices: { similarity: 'absolute' } },
      { type: 'focusRun', run: 'nobody' },
    );
    assert.equal(s.run?.id, 'q');
    assert.deepEqual(
      s.series.fc1.map((p) => p.step),
      [50, 250],
    );
    assert.equal(s.settings?.threshold, 0.9);
    const saved = JSON.parse(JSON.stringify(savedState(s)));
    assert.deepEqual(saved.runs, [{ folder: '/runs/relu' }, { folder: '/runs/relu-2' }]);
    assert.deepEqual(initialState(saved).view.choices, { q: { threshold: 0.8 }, r: { similarity: 'absolute' } });
    assert.equal(initialState(saved).view.focus, 'q');
  });

  it('snapshots every run, and each detail with its run', () => {
    const s = apply(initialState(), host(two));
    const detail = {
      layer: 'fc1',
      step: 50,
      theta: [0],
      amplitude: [1],
      cluster: [0],
      heatmap: {
        size: 1,
        blockSize: 1,
        order: [0],
        boundaries: [],
        values: Uint8Array.from([255]),
        similarity: 'signed' as const,
      },
    };
    const messages = snapshotMessages(s, [{ run: 'q', detail }]);
    assert.deepEqual(
      messages.map((m) => (m.type === 'init' ? m.runs.map((r) => r.run.id) : m.type === 'detail' ? m.run : m.type)),
      [['r', 'q'], 'q'],
    );
  });
});

import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PanelSession, type PanelHost } from '../../../src/extension/panel/panelSession';
import { statusText } from '../../../src/extension/statusText';
import type { Envelope } from '../../../src/protocol/messageHandler';
import type { HostMessage, PanelSettings } from '../../../src/protocol/panel';
import { fixture, realRunManager, until } from './helpers';

/** Values of the independent NumPy implementation (test/fixtures/README.md). */
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8'));
const PANEL_SETTINGS: PanelSettings = {
  threshold: 0.95,
  similarity: 'signed',
  activeFraction: 0.05,
  includeBias: true,
  heatmapMaxNeurons: 2048,
};

describe('PanelSession (the host end of a webview, on a real run)', () => {
  const manager = realRunManager();

  function connect(runDir: string) {
    const run = manager().open({ name: 'panel', target: { folder: runDir } });
    const posted: Envelope<HostMessage>[] = [];
    const host: PanelHost = {
      settings: () => PANEL_SETTINGS,
      save: async () => undefined,
      openPanel: () => undefined,
    };
    const session = new PanelSession(async (m) => (posted.push(m), true), host, run);
    const bodies = () => posted.map((m) => m.body);
    return { run, session, posted, bodies };
  }

  it('answers ready with init, then sends new points as increments, and a reset when one arrives out of order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-panel-'));
    const ref = (name: string) => fixture('reference', 'gamma1', name);
    copyFileSync(ref('step-000000.pt'), join(dir, 'step-000000.pt'));
    const { run, session, posted, bodies } = connect(dir);
    await until(() => run.model.series('fc1').length === 1);
    assert.equal(posted.length, 0, 'nothing before ready');
    // As the webview says it (webview/host.ts): a plain message, no request id.
    await session.receive({ body: { type: 'ready' } });
    const init = posted[0];
    assert.equal(init.body.type, 'init');
    if (init.body.type !== 'init') return;
    assert.equal(init.body.runs.length, 1);
    const [state] = init.body.runs;
    assert.equal(state.run.id, run.id);
    assert.deepEqual(state.layers, Object.keys(expected.runs['reference/gamma1']['step-000000.pt']));
    assert.deepEqual(
      state.series.fc1.map((p) => p.step),
      [0],
    );
    assert.deepEqual(state.settings, PANEL_SETTINGS);

    copyFileSync(ref('step-010000.pt'), join(dir, 'step-010000.pt'));
    run.poke();
    await until(() => bodies().some((b) => b.type === 'series' && b.layer === 'fc1'));
    const append = bodies().find((b) => b.type === 'series' && b.layer === 'fc1');
    assert.deepEqual(append, {
      type: 'series',
      run: run.id,
      layer: 'fc1',
      points: [run.model.series('fc1')[1]],
      reset: undefined,
    });

    // Between the two: not an increment at the end of the series.
    copyFileSync(ref('step-001000.pt'), join(dir, 'step-001000.pt'));
    run.poke();
    await until(() => bodies().some((b) => b.type === 'series' && b.reset === true));
    const reset = bodies().find((b) => b.type === 'series' && b.reset === true);
    assert.ok(reset?.type === 'series');
    assert.deepEqual(
      reset.points.map((p) => p.step),
      [0, 1000, 10000],
      'the whole series, in step order',
    );
    await until(() => session.delivered(run.id).get('fc1') === 3);
  });

  it('over two runs: init carries both, each increment and detail names its run, and a toggle changes only the run it names', async () => {
    const dirA = mkdtempSync(join(tmpdir(), 'cl-panel-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'cl-panel-b-'));
    copyFileSync(fixture('reference', 'gamma1', 'step-000000.pt'), join(dirA, 'step-000000.pt'));
    copyFileSync(fixture('safetensors', 'mlp_f32.safetensors'), join(dirB, 'step-300.safetensors'));
    const a = connect(dirA);
    const b = manager().open({ name: 'other', target: { folder: dirB } });
    a.session.showRuns([a.run, b]);
    await until(() => a.run.model.series('fc1').length === 1 && b.model.series('fc1').length === 1);
    await a.session.receive({ body: { type: 'ready', choices: { [b.id]: { threshold: 0.9 } } } });
    const init = a.bodies()[0];
    assert.ok(init.type === 'init');
    assert.deepEqual(
      init.runs.map((r) => [r.run.id, r.settings.threshold]),
      [
        [a.run.id, 0.95],
        [b.id, 0.9],
      ],
      'each run with its own threshold, restored from the saved choices',
    );
    assert.deepEqual(
      init.runs[0].series.fc1.map((p) => p.step),
      [0],
    );
    assert.deepEqual(a.run.panelChoices, {}, 'the choice of one run leaves the other alone');
    // The restored choice re-analyses the second run: its series comes again, named by its run.
    await until(() => a.bodies().some((m) => m.type === 'series' && m.run === b.id && m.points[0]?.step === 300));
    // The step 300 exists in the second run only: the request names the run it is for.
    await a.session.receive({ body: { type: 'detail', run: b.id, layer: 'fc1', step: 300 }, messageId: 4 });
    const reply = a.posted.find((m) => m.inReplyTo === 4)!.body;
    assert.ok(reply.type === 'detail');
    assert.equal(reply.run, b.id);
    assert.equal(reply.detail.theta.length, 16);
    await a.session.receive({ body: { type: 'detail', run: a.run.id, layer: 'fc1', step: 300 }, messageId: 5 });
    assert.equal(a.posted.find((m) => m.inReplyTo === 5)!.body.type, 'error');
    // The second run's re-analysis is over, both its layers sent (they come one by one), before the first run's
    // toggle.
    await until(
      () =>
        b.info.reanalysis === undefined &&
        b.model.layers.length === 2 &&
        b.model.layers.every((l) => b.model.series(l).length === 1 && a.session.delivered(b.id).get(l) === 1),
    );
    const before = a.bodies().length;
    await a.session.receive({ body: { type: 'setSetting', run: a.run.id, key: 'similarity', value: 'absolute' } });
    assert.deepEqual(a.run.panelChoices, { similarity: 'absolute' });
    assert.deepEqual(b.panelChoices, { threshold: 0.9 });
    assert.deepEqual(a.bodies().at(-1), {
      type: 'settings',
      run: a.run.id,
      settings: { ...PANEL_SETTINGS, similarity: 'absolute' },
    });
    // The re-analysis of the run whose setting changed comes back as its own series; the other is left alone.
    await until(() =>
      a.bodies().some((m) => m.type === 'series' && m.run === a.run.id && m.points[0]?.step === 0 && !m.reset),
    );
    assert.ok(
      !a
        .bodies()
        .slice(before)
        .some((m) => m.type === 'series' && m.run === b.id),
    );
    a.session.dispose();
  });

  it('replies to an export once the save dialog closed: the path written, or none when cancelled', async () => {
    const answers: (string | undefined)[] = [undefined, 'figs/run-orientation.svg'];
    const saved: string[] = [];
    const host: PanelHost = {
      settings: () => PANEL_SETTINGS,
      save: async (format, name) => (saved.push(`${format} ${name}`), answers.shift()),
      openPanel: () => undefined,
    };
    const posted: Envelope<HostMessage>[] = [];
    const session = new PanelSession(async (m) => (posted.push(m), true), host);
    const body = { type: 'export', format: 'svg', suggestedName: 'run-orientation.svg', data: '<svg/>' } as const;
    await session.receive({ body, messageId: 7 });
    await session.receive({ body, messageId: 8 });
    assert.deepEqual(saved, ['svg run-orientation.svg', 'svg run-orientation.svg']);
    assert.deepEqual(posted, [
      { body: { type: 'exported', path: undefined }, inReplyTo: 7 },
      { body: { type: 'exported', path: 'figs/run-orientation.svg' }, inReplyTo: 8 },
    ]);
    session.dispose();
  });

  it('tells a ready view that shows no run any more (the side bar after its run closed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-panel-'));
    const { session, bodies } = connect(dir);
    await session.receive({ body: { type: 'ready' } });
    session.show(undefined);
    assert.deepEqual(bodies().at(-1), { type: 'cleared' });
  });

  it('replies to detail with the heatmap bytes, or with an error naming the step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-panel-'));
    copyFileSync(fixture('safetensors', 'mlp_f32.safetensors'), join(dir, 'step-300.safetensors'));
    const { run, session, posted } = connect(dir);
    await until(() => run.model.series('fc1').length === 1);
    await session.receive({ body: { type: 'ready' } });
    await session.receive({ body: { type: 'detail', run: run.id, layer: 'fc1', step: 300 }, messageId: 2 });
    const detail = posted.find((m) => m.inReplyTo === 2)!.body;
    assert.ok(detail.type === 'detail');
    assert.equal(detail.detail.theta.length, 16);
    assert.ok(detail.detail.heatmap.values instanceof Uint8Array);
    await session.receive({ body: { type: 'detail', run: run.id, layer: 'fc1', step: 999 }, messageId: 3 });
    assert.deepEqual(posted.find((m) => m.inReplyTo === 3)!.body, {
      type: 'error',
      message: 'panel: no analysed checkpoint at step 999',
    });
    await session.receive({ body: { type: 'setSetting', run: run.id, key: 'similarity', value: 'absolute' } });
    await session.receive({ body: { type: 'setSetting', run: run.id, key: 'nodePath', value: '/bin/sh' } });
    assert.deepEqual(run.panelChoices, { similarity: 'absolute' }, 'a malformed message is ignored');
  });
});

describe('status bar text', () => {
  const info = { id: '/r', name: 'relu-1d-1', folder: '/r', status: 'running' as const, step: 1200, loss: 0.00123 };
  const point = {
    step: 1200,
    neurons: 1000,
    inputDim: 2,
    active: 232,
    clusters: 2,
    effectiveClusters: 2,
    stableRank: 1.1,
    largestCluster: 125,
  };
  it('shows a spinner, the step, the loss and the first layer clusters while training', () => {
    assert.equal(statusText(info, { layer: 'fc1', point }), '$(sync~spin) step 1200 · loss 1.23e-3 · fc1: 2 clusters');
  });
  it('shows the run name and a check mark for a finished run without progress lines', () => {
    assert.equal(
      statusText(
        { ...info, status: 'finished', step: undefined, loss: undefined },
        { layer: 'fc1', point: { ...point, clusters: 1 } },
      ),
      '$(check) relu-1d-1 · fc1: 1 cluster',
    );
  });
});

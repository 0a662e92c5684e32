// A run asks the worker for one layer of one checkpoint at a time (real worker, real checkpoints): figures
// stream layer by layer, the layers a panel shows go first, a settings change stops the layer job that runs,
// and a layer above analysis.maxNeurons gets its clusters when the panel asks.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSafetensors } from '../../../src/core/formats/safetensorsWriter';
import { AnalysisQueue, DEFAULT_QUEUE_LIMITS } from '../../../src/extension/analysis/analysisQueue';
import { AnalysisWorker } from '../../../src/extension/analysis/analysisWorker';
import { PanelSession, type PanelHost } from '../../../src/extension/panel/panelSession';
import { RunManager } from '../../../src/extension/run/runManager';
import { statusText } from '../../../src/extension/statusText';
import type { HostMessage } from '../../../src/protocol/panel';
import { DEFAULT_SETTINGS, withDefaults, type AnalysisSettings } from '../../../src/protocol/settings';
import type { WorkerReply, WorkerRequest } from '../../../src/protocol/worker';
import { seededRandom } from '../formats/seededRandom';
import { fixture, until, workerBundle } from './helpers';

/** NumPy's figures (test/fixtures/layers/expected.json, test/fixtures/expected.json). */
const GPT2 = fixture('layers', 'gpt2.safetensors');
const gpt2: { name: string; neurons: number; active: number; clusters: number; stableRank: number }[] = JSON.parse(
  readFileSync(fixture('layers', 'expected.json'), 'utf8'),
)['gpt2.safetensors'].layers;
const reference = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')).runs['reference/gamma1'];
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));

const host: PanelHost = {
  settings: () => ({ ...DEFAULT_SETTINGS }),
  save: async () => undefined,
  openPanel: () => undefined,
};

describe('per-layer analysis of a run (real worker, real checkpoints)', function () {
  this.timeout(300_000);
  let worker: AnalysisWorker;
  let manager: RunManager | undefined;
  let dir: string;
  /** Every request the queue sent to the worker, and its reply once it came. */
  let sent: { request: WorkerRequest; reply?: WorkerReply }[];
  /** Called as a layer request goes to the worker; a test may hold it there until it lets it go. */
  let onLayer: (request: WorkerRequest) => Promise<void> | void;

  before(async () => {
    worker = new AnalysisWorker(await workerBundle());
  });
  beforeEach(() => {
    sent = [];
    onLayer = () => undefined;
    dir = mkdtempSync(join(tmpdir(), 'cl-per-layer-'));
  });
  afterEach(() => {
    manager?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  after(() => worker.dispose());

  function open(target: { file: string } | { folder: string }, settings: AnalysisSettings = DEFAULT_SETTINGS) {
    const execute = async (request: WorkerRequest): Promise<WorkerReply> => {
      const entry: (typeof sent)[number] = { request };
      sent.push(entry);
      if (request.type === 'layer') await onLayer(request);
      entry.reply = await worker.execute(request);
      return entry.reply;
    };
    manager = new RunManager({
      queue: new AnalysisQueue(execute, DEFAULT_QUEUE_LIMITS, worker.cancelRunning),
      settings: () => settings,
      debounceMs: () => 100,
      pollMs: () => 200,
      log: () => undefined,
      process: { stopGraceMs: 300 },
    });
    return manager.open({ name: 'per-layer', target });
  }
  const layerRequests = () => sent.flatMap((s) => (s.request.type === 'layer' ? [s.request] : []));
  const analysed = (run: ReturnType<typeof open>) => run.model.layers.filter((l) => run.model.series(l).length > 0);

  it("asks one layer at a time: each layer's figures arrive on their own, NumPy's values", async () => {
    const run = open({ file: GPT2 });
    const counts: number[] = [];
    run.model.onDidChange((c) => c.kind === 'series' && counts.push(analysed(run).length));
    await until(() => analysed(run).length === gpt2.length);
    assert.deepEqual(
      run.model.layers,
      gpt2.map((l) => l.name),
      'in model order',
    );
    // The outline first (names, no figures), then one request per layer, never the whole checkpoint at once.
    assert.deepEqual(
      sent.map((s) => s.request.type),
      ['layers', ...gpt2.map(() => 'layer')],
    );
    assert.deepEqual(
      layerRequests().map((r) => r.layer),
      gpt2.map((l) => l.name),
    );
    const grew = [...new Set(counts.filter((n) => n > 0))];
    assert.deepEqual(
      grew,
      gpt2.map((_, i) => i + 1),
      'the model holds one more analysed layer after each figure',
    );
    for (const want of gpt2) {
      const [got] = run.model.series(want.name);
      assert.deepEqual([got.neurons, got.active, got.clusters], [want.neurons, want.active, want.clusters], want.name);
      assert.ok(close(got.stableRank, want.stableRank), want.name);
    }
  });

  it("the layers a panel shows go first: queued jobs of its run are put ahead of the others'", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    onLayer = () => held;
    const run = open({ file: GPT2 });
    const posted: HostMessage[] = [];
    const session = new PanelSession(async (m) => (posted.push(m.body), true), host, run);
    await session.receive({ body: { type: 'ready' } });
    // The outline is read and the first layer job waits at the worker: the other 65 are queued.
    await until(() => layerRequests().length === 1);
    const names = gpt2.map((l) => l.name);
    const last = names[names.length - 1];
    await until(() =>
      posted.some(
        (m) => (m.type === 'series' && m.layer === last) || (m.type === 'init' && m.runs[0].layers.includes(last)),
      ),
    );
    assert.ok(
      posted.every(
        (m) =>
          (m.type !== 'series' || m.points.length === 0) &&
          (m.type !== 'init' || (m.runs[0].series[last] ?? []).length === 0),
      ),
      'the webview knows every layer before any figure',
    );
    await session.receive({ body: { type: 'showLayers', layers: [names[40], names[10]] } });
    release();
    await until(() => analysed(run).length === names.length);
    const rest = names.filter((_, i) => i !== 0 && i !== 10 && i !== 40);
    assert.deepEqual(
      layerRequests().map((r) => r.layer),
      [names[0], names[10], names[40], ...rest],
      'the running job, then the shown layers in model order, then the rest',
    );
    session.dispose();
  });

  it('a threshold change stops the layer job that is running; the new one answers with the new threshold', async () => {
    // 3000 random directions in 128 dimensions: every |cos| is far below 0.5, so each active neuron is its own
    // cluster, and all are active (their norms are within a few percent of each other).
    const rand = seededRandom(11);
    const data = Float32Array.from({ length: 3000 * 128 }, () => rand() - 0.5);
    writeSafetensors(join(dir, 'step-1.safetensors'), [{ name: 'fc1.weight', shape: [3000, 128], data }]);
    const run = open({ folder: dir });
    onLayer = (request) => {
      onLayer = () => undefined;
      // Right after the worker got it, well before its cover is done.
      setImmediate(() => request.type === 'layer' && run.choose({ threshold: 0.5 }));
    };
    await until(() => run.model.series('fc1').length === 1 && run.info.reanalysis === undefined);
    const layers = sent.filter((s) => s.request.type === 'layer');
    assert.deepEqual(
      layers.map((s) => [s.request.settings.threshold, s.reply?.type]),
      [
        [DEFAULT_SETTINGS.threshold, 'cancelled'],
        [0.5, 'layer'],
      ],
    );
    const [point] = run.model.series('fc1');
    assert.deepEqual([point.neurons, point.active, point.clusters, point.largestCluster], [3000, 3000, 3000, 1]);
  });

  it('a layer above analysis.maxNeurons shows no clusters until the panel asks, then gets them at every step', async () => {
    const names = Object.keys(reference);
    for (const name of names) copyFileSync(fixture('reference', 'gamma1', name), join(dir, name));
    const run = open({ folder: dir }, withDefaults({ maxNeurons: 100 }));
    await until(() => run.model.series('fc1').length === names.length && run.model.checkpointCount === names.length);
    await until(() => run.info.reanalysis === undefined && sent.every((s) => s.reply));
    const deferred = run.model.series('fc1');
    for (const [i, name] of names.entries()) {
      const want = reference[name].fc1;
      assert.deepEqual([deferred[i].deferred, deferred[i].active, deferred[i].clusters], [true, want.active, 0], name);
      assert.ok(close(deferred[i].stableRank, want.stableRank), name);
    }
    // A deferred layer has no count: the status bar and Live Metrics say nothing of it rather than "0 clusters".
    assert.equal(run.model.latest, undefined);
    assert.doesNotMatch(statusText(run.info, run.model.latest), /cluster/);
    const before = sent.length;
    const session = new PanelSession(async () => true, host, run);
    await session.receive({ body: { type: 'ready' } });
    await session.receive({ body: { type: 'analyseLayer', run: run.id, layer: 'fc1' } });
    await until(() => run.model.series('fc1').every((p) => !p.deferred));
    const asked = sent.slice(before).map((s) => s.request);
    assert.deepEqual(
      asked.map((r) => r.type === 'layer' && [r.path.slice(dir.length + 1), r.onRequest]),
      [...names].reverse().map((name) => [name, true]),
      'every step the run has, newest first',
    );
    for (const [i, name] of names.entries()) {
      const want = reference[name].fc1;
      const got = run.model.series('fc1')[i];
      assert.deepEqual([got.clusters, got.largestCluster], [want.clusters, want.largestCluster], name);
      assert.ok(close(got.effectiveClusters, want.effectiveClusters), name);
    }
    const last = reference[names[names.length - 1]].fc1.clusters;
    assert.match(statusText(run.info, run.model.latest), new RegExp(`fc1: ${last} clusters?$`));
    session.dispose();
  });
});

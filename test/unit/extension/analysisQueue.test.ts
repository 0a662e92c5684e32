import { strict as assert } from 'node:assert';
import { AnalysisError, AnalysisQueue, Superseded } from '../../../src/extension/analysis/analysisQueue';
import { DEFAULT_SETTINGS, withDefaults } from '../../../src/protocol/settings';
import type { WorkerReply, WorkerRequest } from '../../../src/protocol/worker';
import type { LayerDetail } from '../../../src/protocol/panel';

/**
 * A worker stand-in that runs one request at a time when the test releases it, and records the
 * order in which requests reached it: the queue's behaviour is what is under test here.
 */
class GatedWorker {
  readonly started: string[] = [];
  private release: (() => void)[] = [];
  readonly execute = async (req: WorkerRequest): Promise<WorkerReply> => {
    this.started.push(label(req));
    await new Promise<void>((r) => this.release.push(r));
    if (req.path.includes('bad')) return { type: 'error', message: `${req.path}: truncated` };
    if (req.type === 'layers')
      return { type: 'layers', outline: { path: req.path, step: null, loss: null, layers: [], error: null } };
    if (req.type !== 'detail') throw new Error(`the stand-in answers no ${req.type} request`);
    return { type: 'detail', detail: { layer: req.layer, step: 0 } as LayerDetail };
  };
  /** Lets the running request finish and waits until the queue has moved on. */
  async next(): Promise<void> {
    while (this.release.length === 0) await new Promise((r) => setImmediate(r));
    this.release.shift()!();
    await new Promise((r) => setImmediate(r));
  }
}

const label = (r: WorkerRequest) => ('layer' in r ? `${r.path}#${r.layer}` : r.path);
const stat = (path: string, mtimeMs = 1) => ({ path, size: 10, mtimeMs });
const settings = DEFAULT_SETTINGS;

describe('AnalysisQueue (supersession and cache)', () => {
  it('runs jobs one at a time, higher priorities first, in order of arrival among equals', async () => {
    const w = new GatedWorker();
    const q = new AnalysisQueue(w.execute);
    const done = ['a', 'b', 'c'].map((p) => q.layers(stat(p), { settings }));
    const urgent = q.layers(stat('newest'), { settings }, { priority: 2 });
    const next = q.layers(stat('next'), { settings }, { priority: 1 });
    const second = q.layers(stat('second'), { settings }, { priority: 2 });
    for (let i = 0; i < 6; i++) await w.next();
    await Promise.all([...done, urgent, next, second]);
    assert.deepEqual(w.started, ['a', 'newest', 'second', 'next', 'b', 'c']);
  });

  it('a newer job in the same slot replaces a queued older one', async () => {
    const w = new GatedWorker();
    const q = new AnalysisQueue(w.execute);
    const busy = q.layers(stat('running'), { settings });
    const older = q.detail(stat('step-100'), { layer: 'fc1', settings }, { slot: 'run1/fc1' });
    const otherLayer = q.detail(stat('step-100'), { layer: 'fc2', settings }, { slot: 'run1/fc2' });
    const newer = q.detail(stat('step-200'), { layer: 'fc1', settings }, { slot: 'run1/fc1' });
    await assert.rejects(older, Superseded);
    for (let i = 0; i < 3; i++) await w.next();
    await Promise.all([busy, otherLayer, newer]);
    assert.deepEqual(w.started, ['running', 'step-100#fc2', 'step-200#fc1']);
  });

  it('answers a repeated request from the cache, until the file or the settings change', async () => {
    const w = new GatedWorker();
    const q = new AnalysisQueue(w.execute);
    const first = q.layers(stat('p'), { settings });
    await w.next();
    await first;
    await q.layers(stat('p'), { settings });
    assert.equal(q.executed, 1, 'same path, size, mtime and settings: cached');
    const changedFile = q.layers(stat('p', 2), { settings });
    await w.next();
    await changedFile;
    const changedSettings = q.layers(stat('p', 2), { settings: withDefaults({ threshold: 0.9 }) });
    await w.next();
    await changedSettings;
    assert.equal(q.executed, 3);
  });

  it('shares one run between identical queued requests', async () => {
    const w = new GatedWorker();
    const q = new AnalysisQueue(w.execute);
    const a = q.layers(stat('same'), { settings });
    const b = q.layers(stat('same'), { settings });
    await w.next();
    assert.equal(await a, await b);
    assert.equal(q.executed, 1);
  });

  it('turns a worker error into an AnalysisError and does not cache it', async () => {
    const w = new GatedWorker();
    const q = new AnalysisQueue(w.execute);
    const failing = assert.rejects(
      q.layers(stat('bad.pt'), { settings }),
      (e: AnalysisError) => e instanceof AnalysisError && e.message === 'bad.pt: truncated',
    );
    await w.next();
    await failing;
    const again = assert.rejects(q.layers(stat('bad.pt'), { settings }), AnalysisError);
    await w.next();
    await again;
    assert.equal(q.executed, 2);
  });

  it('drops the queued jobs of a closed run', async () => {
    const w = new GatedWorker();
    const q = new AnalysisQueue(w.execute);
    const running = q.layers(stat('r1-a'), { settings }, { owner: 'r1' });
    const queued = q.layers(stat('r1-b'), { settings }, { owner: 'r1' });
    const other = q.layers(stat('r2-a'), { settings }, { owner: 'r2' });
    q.cancel('r1');
    await assert.rejects(queued, Superseded);
    await w.next();
    await w.next();
    await Promise.all([running, other]);
    assert.deepEqual(w.started, ['r1-a', 'r2-a']);
  });
});

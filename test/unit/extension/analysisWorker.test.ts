import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisError, AnalysisQueue } from '../../../src/extension/analysis/analysisQueue';
import { AnalysisWorker } from '../../../src/extension/analysis/analysisWorker';
import { DEFAULT_SETTINGS } from '../../../src/protocol/settings';
import { fixture, workerBundle } from './helpers';

/** Values of the independent NumPy implementation (test/fixtures/README.md). */
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8'));
const stat = (path: string) => ({ path, size: statSync(path).size, mtimeMs: statSync(path).mtimeMs });
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));
const sameAngle = (a: number, b: number) => Math.abs(Math.atan2(Math.sin(a - b), Math.cos(a - b))) < 1e-3;
/** The neurons of each cluster (labels may be numbered differently), inactive ones left out. */
const partition = (labels: number[]) =>
  [...new Set(labels.filter((c) => c >= 0))].map((c) => labels.flatMap((l, k) => (l === c ? [k] : [])).join()).sort();

describe('analysis worker thread (real engine, real checkpoints)', () => {
  let worker: AnalysisWorker;
  let queue: AnalysisQueue;
  before(async () => {
    worker = new AnalysisWorker(await workerBundle());
    queue = new AnalysisQueue(worker.execute);
  });
  after(() => worker.dispose());

  it("outlines a PyTorch checkpoint, then analyses its layer against the run's baseline", async () => {
    const run = fixture('reference', 'gamma1');
    const file = stat(`${run}/step-010000.pt`);
    const outline = await queue.layers(file, { settings: DEFAULT_SETTINGS });
    assert.deepEqual([outline.step, outline.layers], [10000, [{ name: 'fc1', kind: 'dense', neurons: 1000 }]]);
    const fc1 = await queue.layer(file, {
      layer: 'fc1',
      settings: DEFAULT_SETTINGS,
      baselinePath: `${run}/step-000000.pt`,
    });
    const want = expected.runs['reference/gamma1']['step-010000.pt'].fc1;
    assert.deepEqual(
      [fc1.neurons, fc1.active, fc1.clusters, fc1.largestCluster],
      [want.neurons, want.active, want.clusters, want.largestCluster],
    );
    assert.ok(close(fc1.relativeChange!, want.relativeChange), `${fc1.relativeChange} vs ${want.relativeChange}`);
  });

  it('answers detail requests with orientations, clusters and heatmap bytes', async () => {
    const file = fixture('safetensors', 'mlp_f32.safetensors');
    const detail = await queue.detail(stat(file), { layer: 'fc1', settings: DEFAULT_SETTINGS });
    const want = expected.checkpoints['safetensors/mlp_f32.safetensors'].layers.fc1;
    assert.equal(detail.step, 300);
    assert.deepEqual(partition(detail.cluster), partition(want.cluster_of));
    assert.deepEqual(
      detail.cluster.map((c) => c < 0),
      want.active_mask.map((a: boolean) => !a),
    );
    assert.ok(detail.theta.every((t, i) => sameAngle(t, want.orientation[i])));
    assert.ok(detail.heatmap.values instanceof Uint8Array);
    assert.equal(detail.heatmap.values.length, detail.heatmap.size * detail.heatmap.size);
    assert.deepEqual(detail.heatmap.order, want.heatmap_order);
  });

  it('reports an unreadable checkpoint as an AnalysisError naming the file', async () => {
    await assert.rejects(
      queue.layers(stat(fixture('bad', 'legacy.pt')), { settings: DEFAULT_SETTINGS }),
      (e: Error) => e instanceof AnalysisError && /legacy\.pt: /.test(e.message),
    );
  });

  it('says which failures may be a file still being written: a truncated copy yes, an unsafe pickle no', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-incomplete-'));
    const whole = readFileSync(fixture('safetensors', 'mlp_f32.safetensors'));
    const truncated = join(dir, 'step-1.safetensors');
    writeFileSync(truncated, whole.subarray(0, whole.length - 100));
    const failure = (path: string) =>
      queue.layer(stat(path), { layer: 'fc1', settings: DEFAULT_SETTINGS }).then(
        () => assert.fail(`${path} was analysed`),
        (e: unknown) => e as AnalysisError,
      );
    const [cut, unsafe] = [await failure(truncated), await failure(fixture('bad', 'evil_os_system.pt'))];
    assert.ok(cut instanceof AnalysisError && cut.incomplete, cut.message);
    assert.ok(unsafe instanceof AnalysisError && !unsafe.incomplete && /unsafe/.test(unsafe.message), unsafe.message);
  });

  it('serves a repeated request from the cache without the worker', async () => {
    const file = fixture('safetensors', 'mlp_f16.safetensors');
    const first = await queue.layer(stat(file), { layer: 'fc1', settings: DEFAULT_SETTINGS });
    const before = queue.executed;
    const again = await queue.layer(stat(file), { layer: 'fc1', settings: DEFAULT_SETTINGS });
    assert.equal(queue.executed, before);
    assert.deepEqual(again, first);
  });
});

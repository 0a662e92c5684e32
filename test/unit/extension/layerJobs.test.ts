// Per-layer worker requests, and a newer request of the same run and layer stopping one that already runs.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSafetensors } from '../../../src/core/formats/safetensorsWriter';
import { AnalysisQueue, DEFAULT_QUEUE_LIMITS, Superseded } from '../../../src/extension/analysis/analysisQueue';
import { AnalysisWorker } from '../../../src/extension/analysis/analysisWorker';
import type { LayerSummary } from '../../../src/protocol/report';
import { DEFAULT_SETTINGS } from '../../../src/protocol/settings';
import type { WorkerReply, WorkerRequest } from '../../../src/protocol/worker';
import { seededRandom } from '../formats/seededRandom';
import { fixture, workerBundle } from './helpers';

const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8'));
const stat = (path: string) => ({ path, size: statSync(path).size, mtimeMs: statSync(path).mtimeMs });
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));

describe('per-layer analysis requests', () => {
  it('a newer job in the slot of a running one cancels it; the old one rejects as Superseded', async () => {
    const asked: WorkerRequest[] = [];
    let finish!: (r: WorkerReply) => void;
    let cancelled = 0;
    const execute = (req: WorkerRequest) => {
      asked.push(req);
      return new Promise<WorkerReply>((r) => (finish = r));
    };
    const queue = new AnalysisQueue(execute, DEFAULT_QUEUE_LIMITS, () => cancelled++);
    const file = { path: 'a.safetensors', size: 1, mtimeMs: 1 };
    const old = queue.layer(file, { layer: 'fc1', settings: DEFAULT_SETTINGS }, { slot: 'run\nfc1' });
    await new Promise((r) => setImmediate(r));
    const other = queue.layer(file, { layer: 'fc2', settings: DEFAULT_SETTINGS }, { slot: 'run\nfc2' });
    assert.equal(cancelled, 0, 'another slot does not cancel');
    const newer = queue.layer(
      { ...file, mtimeMs: 2 },
      { layer: 'fc1', settings: DEFAULT_SETTINGS },
      { slot: 'run\nfc1' },
    );
    assert.equal(cancelled, 1);
    finish({ type: 'cancelled' });
    await assert.rejects(old, Superseded);
    const summary = { name: 'fc2' } as LayerSummary;
    await new Promise((r) => setImmediate(r));
    finish({ type: 'layer', summary });
    assert.equal(await other, summary);
    await new Promise((r) => setImmediate(r));
    finish({ type: 'layer', summary: { name: 'fc1' } as LayerSummary });
    assert.equal((await newer).name, 'fc1');
    assert.deepEqual(
      asked.map((r) => r.type === 'layer' && r.layer),
      ['fc1', 'fc2', 'fc1'],
    );
  });

  describe('in the worker thread', () => {
    let worker: AnalysisWorker;
    let queue: AnalysisQueue;
    let dir: string;
    before(async () => {
      worker = new AnalysisWorker(await workerBundle());
      queue = new AnalysisQueue(worker.execute, DEFAULT_QUEUE_LIMITS, worker.cancelRunning);
      dir = mkdtempSync(join(tmpdir(), 'layer-jobs-'));
    });
    after(() => {
      worker.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers one layer of one checkpoint with the NumPy figures', async () => {
      const file = fixture('safetensors', 'mlp_f32.safetensors');
      const got = await queue.layer(stat(file), { layer: 'fc1', settings: DEFAULT_SETTINGS });
      const want = expected.checkpoints['safetensors/mlp_f32.safetensors'].layers.fc1;
      assert.deepEqual(
        [got.name, got.next, got.neurons, got.inputDim, got.active, got.clusters, got.largestCluster],
        [
          want.neurons && 'fc1',
          want.next,
          want.neurons,
          want.inputDim,
          want.active,
          want.clusters,
          want.largestCluster,
        ],
      );
      assert.ok(close(got.effectiveClusters, want.effectiveClusters));
      assert.ok(close(got.stableRank, want.stableRank));
    });

    it('reads a checkpoint rewritten between two layer requests afresh, though the worker keeps it open', async () => {
      const file = join(dir, 'rewritten.safetensors');
      const rand = seededRandom(5);
      const direction = Array.from({ length: 32 }, () => rand() - 0.5);
      // 64 positive multiples of one direction: one cluster of 64.
      const aligned = Float32Array.from({ length: 64 * 32 }, (_, i) => direction[i % 32] * (1 + (i >> 5) / 64));
      writeSafetensors(file, [{ name: 'fc1.weight', shape: [64, 32], data: aligned }]);
      const first = await queue.layer(stat(file), { layer: 'fc1', settings: DEFAULT_SETTINGS });
      assert.deepEqual([first.clusters, first.largestCluster], [1, 64]);
      // 64 random directions in 32 dimensions: no two within cos 0.95, so 64 clusters of one.
      const random = Float32Array.from({ length: 64 * 32 }, () => rand() - 0.5);
      writeSafetensors(file, [{ name: 'fc1.weight', shape: [64, 32], data: random }]);
      utimesSync(file, new Date(), new Date(Date.now() + 10_000));
      const second = await queue.layer(stat(file), { layer: 'fc1', settings: DEFAULT_SETTINGS });
      assert.deepEqual([second.active, second.clusters, second.largestCluster], [64, 64, 1]);
    });

    it('stops a running layer job when a newer request of its run and layer arrives', async function () {
      this.timeout(600_000);
      // 12 000 random neurons: as many clusters, several seconds of cover blocks, each a point to stop at.
      const rand = seededRandom(3);
      const big = join(dir, 'big.safetensors');
      const data = Float32Array.from({ length: 12_000 * 256 }, () => rand() - 0.5);
      writeSafetensors(big, [{ name: 'fc1.weight', shape: [12_000, 256], data }]);
      const slot = { slot: 'run\nfc1' };
      const running = queue.layer(stat(big), { layer: 'fc1', settings: DEFAULT_SETTINGS }, slot);
      await new Promise((r) => setTimeout(r, 1000)); // well into the cover: the worker is computing, not waiting
      const small = fixture('safetensors', 'mlp_f16.safetensors');
      const newer = queue.layer(stat(small), { layer: 'fc1', settings: DEFAULT_SETTINGS }, slot);
      await assert.rejects(running, Superseded);
      const want = expected.checkpoints['safetensors/mlp_f16.safetensors'].layers.fc1;
      assert.equal((await newer).clusters, want.clusters);
    });
  });
});

import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { RunWatcher } from '../../../src/extension/watch/runWatcher';
import type { ReadyFile } from '../../../src/extension/watch/checkpointTracker';

const DEBOUNCE_MS = 300;
const SLOW_WRITER_SETTLE_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cl-watch-'));
  mkdirSync(join(dir, 'checkpoints'));
  return dir;
}

/** Collects what the watcher hands out; `next()` waits for the next batch. */
function collect(w: RunWatcher) {
  const batches: ReadyFile[][] = [];
  let wake: (() => void) | undefined;
  w.onReady((files) => {
    batches.push(files);
    wake?.();
  });
  return {
    batches,
    async next(): Promise<ReadyFile[]> {
      const seen = batches.length;
      while (batches.length === seen) await new Promise<void>((r) => (wake = r));
      return batches[seen];
    },
  };
}

describe('RunWatcher (real files)', () => {
  const watchers: RunWatcher[] = [];
  const watch = (dir: string, debounceMs = DEBOUNCE_MS) => {
    const w = new RunWatcher({ folder: dir }, { settleMs: () => debounceMs, pollMs: () => 60_000 });
    watchers.push(w);
    return w;
  };
  afterEach(() => watchers.splice(0).forEach((w) => w.dispose()));

  it('scans hundreds of existing checkpoints in one batch: the newest first, then in step order', async () => {
    const dir = runFolder();
    const old = new Date(Date.now() - 60_000);
    for (let step = 0; step < 300; step++) {
      const f = join(dir, 'checkpoints', `step-${String(step * 10).padStart(6, '0')}.safetensors`);
      writeFileSync(f, 'x');
      utimesSync(f, old, old);
    }
    writeFileSync(join(dir, 'metrics.jsonl'), '{"step":0}\n');
    writeFileSync(join(dir, 'checkpoints', '.step-003000.safetensors.tmp'), 'partial');
    const w = watch(dir);
    const seen = collect(w);
    await w.start();
    assert.equal(seen.batches.length, 1);
    const steps = seen.batches[0].map((f) => f.nameStep);
    assert.deepEqual(steps, [2990, ...Array.from({ length: 299 }, (_, i) => i * 10)]);
  });

  it('reads a file written slowly early once, then only once it is complete', async () => {
    const dir = runFolder();
    // A settle time far above the 20 ms between writes, so a stall of the test machine cannot look like the end.
    const w = watch(dir, SLOW_WRITER_SETTLE_MS);
    const seen = collect(w);
    await w.start();
    const path = join(dir, 'checkpoints', 'step-000100.pt');
    const chunk = Buffer.alloc(1000, 7);
    appendFileSync(path, chunk);
    w.poke(); // what the file system watcher does on each write
    const [early] = await seen.next();
    assert.equal(early.size, 1000, 'first sight: read at once, in case it was renamed into place whole');
    assert.equal(w.result(early, false), 'retry', 'a part: not reported');
    const whole = seen.next();
    for (let i = 1; i < 10; i++) {
      await sleep(20);
      appendFileSync(path, chunk);
      w.poke();
    }
    const [ready] = await whole;
    assert.equal(ready.path, path);
    assert.equal(ready.size, 10_000, 'the whole file, not a part of it');
    assert.equal(w.result(ready, true), 'done');
    assert.equal(seen.batches.length, 2);
  });

  it('reads a renamed checkpoint at once, with no settle wait', async () => {
    const dir = runFolder();
    // A settle time beyond the test's timeout: the file can only come out early.
    const w = watch(dir, 3_600_000);
    const seen = collect(w);
    await w.start();
    const tmp = join(dir, 'checkpoints', '.step-000300.safetensors.tmp');
    writeFileSync(tmp, Buffer.alloc(2048, 5));
    const final = join(dir, 'checkpoints', 'step-000300.safetensors');
    renameSync(tmp, final);
    w.poke();
    const [ready] = await seen.next();
    assert.deepEqual([ready.path, ready.size], [final, 2048]);
  });

  it('hands out an atomically renamed file, and ignores the temporary', async () => {
    const dir = runFolder();
    const w = watch(dir);
    const seen = collect(w);
    await w.start();
    const tmp = join(dir, 'checkpoints', '.step-000200.safetensors.tmp');
    writeFileSync(tmp, Buffer.alloc(4096, 1));
    w.poke();
    const final = join(dir, 'checkpoints', 'step-000200.safetensors');
    renameSync(tmp, final);
    w.announce(final); // the trainer's `checkpoint` progress line
    const batch = await seen.next();
    assert.deepEqual(
      batch.map((f) => [basename(f.path), f.size, f.nameStep]),
      [['step-000200.safetensors', 4096, 200]],
    );
  });

  it('retries a file left partial, reports it only after a second failure once settled, and reads it once completed', async () => {
    const dir = runFolder();
    const w = watch(dir);
    const seen = collect(w);
    await w.start();
    const path = join(dir, 'checkpoints', 'epoch_3.npz');
    writeFileSync(path, Buffer.alloc(500, 2));
    w.poke();
    const early = (await seen.next())[0];
    assert.equal(early.size, 500);
    assert.equal(w.result(early, false), 'retry', 'read on first sight, before it settled: does not count');
    const first = (await seen.next())[0];
    assert.equal(first.size, 500);
    assert.equal(w.result(first, false), 'retry');
    const second = (await seen.next())[0];
    assert.equal(second.size, 500);
    assert.equal(w.result(second, false), 'problem');
    appendFileSync(path, Buffer.alloc(500, 3));
    w.poke();
    const completed = (await seen.next())[0];
    assert.equal(completed.size, 1000);
    assert.equal(w.result(completed, true), 'done');
  });

  it('reads a checkpoint again when it changed after an early read, with no event and no poll', async () => {
    const dir = runFolder();
    // Polls further apart than the test's timeout: only the look once the file should have settled finds the change.
    const w = new RunWatcher({ folder: dir }, { settleMs: () => DEBOUNCE_MS, pollMs: () => 3_600_000 });
    watchers.push(w);
    const seen = collect(w);
    await w.start();
    const path = join(dir, 'checkpoints', 'step-000600.safetensors');
    writeFileSync(path, Buffer.alloc(1024, 6));
    w.poke();
    const [early] = await seen.next();
    assert.equal(early.size, 1024);
    const again = seen.next();
    assert.equal(w.result(early, true), 'done', 'the early read succeeded');
    appendFileSync(path, Buffer.alloc(1024, 6)); // rewritten before it settled, and no event says so
    const [reread] = await again;
    assert.deepEqual([reread.path, reread.size], [path, 2048]);
  });

  it('does not scan for an event on a temporary file, only for the rename into place', async () => {
    const dir = runFolder();
    const w = watch(dir);
    const seen = collect(w);
    await w.start();
    const final = join(dir, 'checkpoints', 'step-000400.safetensors');
    writeFileSync(final, Buffer.alloc(512, 4)); // there, but no event for it yet
    w.fileEvent(join(dir, 'checkpoints', '.step-000400.safetensors.tmp'));
    w.fileEvent(join(dir, 'checkpoints', 'step-000500.safetensors.part'));
    await sleep(300);
    assert.equal(seen.batches.length, 0, 'no scan for temporary names');
    w.fileEvent(final);
    assert.deepEqual(
      (await seen.next()).map((f) => f.path),
      [final],
    );
  });

  it('copes with a run folder that does not exist yet', async () => {
    const dir = join(runFolder(), 'not-yet');
    const w = watch(dir);
    const seen = collect(w);
    await w.start();
    assert.equal(seen.batches.length, 0);
    mkdirSync(dir);
    writeFileSync(join(dir, 'step-1.pth'), 'abc');
    w.poke();
    assert.equal((await seen.next())[0].nameStep, 1);
  });
});

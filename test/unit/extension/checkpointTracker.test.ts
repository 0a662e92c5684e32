import { strict as assert } from 'node:assert';
import { CheckpointTracker, type FileStat } from '../../../src/extension/watch/checkpointTracker';

const SETTLE = 1000;
const file = (path: string, size: number, mtimeMs: number): FileStat => ({ path, size, mtimeMs });
const paths = (files: { path: string }[]) => files.map((f) => f.path);

describe('CheckpointTracker (when a checkpoint is ready)', () => {
  it('hands out old files at once: the newest first, then in step order', () => {
    const t = new CheckpointTracker(() => SETTLE);
    const now = 100_000;
    const names = ['step-30.pt', 'step-4.pt', 'step-200.pt', 'step-10.pt', 'final.pt'];
    const ready = t.scan(
      names.map((n, i) => file(n, 10, 1000 + i)),
      now,
    );
    // final.pt has no step: it sorts after every numbered file, so it is the newest.
    assert.deepEqual(paths(ready), ['final.pt', 'step-4.pt', 'step-10.pt', 'step-30.pt', 'step-200.pt']);
    assert.deepEqual(
      t.scan(
        names.map((n, i) => file(n, 10, 1000 + i)),
        now + 10,
      ),
      [],
      'each file once',
    );
  });

  it('reads a file renamed into place at once, then only confirms it once it has settled', () => {
    const t = new CheckpointTracker(() => SETTLE);
    const renamed = file('step-100.pt', 4096, 4990); // written under a temporary name until 4990
    assert.deepEqual(paths(t.scan([renamed], 5000)), ['step-100.pt'], 'no settle wait');
    assert.equal(t.result(renamed, true, 5020), 'done');
    assert.equal(t.readyAt(), 4990 + SETTLE, 'a scan is due once it should have settled');
    assert.equal(t.hasPending, true);
    assert.deepEqual(t.scan([renamed], 6000), [], 'unchanged: the early read stands');
    assert.equal(t.readyAt(), undefined);
    assert.equal(t.hasPending, false);
    assert.deepEqual(t.scan([renamed], 9000), [], 'read once');
  });

  it('waits until a file seen growing keeps its size and mtime for the settle time', () => {
    const t = new CheckpointTracker(() => SETTLE);
    assert.deepEqual(t.scan([file('a.pt', 0, 5000)], 5000), [], 'created, nothing written yet');
    assert.deepEqual(t.scan([file('a.pt', 100, 5300)], 5300), [], 'growing');
    assert.deepEqual(t.scan([file('a.pt', 300, 5600)], 5600), [], 'still growing');
    assert.deepEqual(t.scan([file('a.pt', 300, 5600)], 6000), [], 'unchanged for 400 ms only');
    assert.equal(t.hasPending, true);
    assert.deepEqual(paths(t.scan([file('a.pt', 300, 5600)], 6600)), ['a.pt'], 'unchanged for 1000 ms');
    assert.equal(t.hasPending, false);
  });

  it('reads a file first seen part-written at once, and once it is seen growing waits for it to settle', () => {
    const t = new CheckpointTracker(() => SETTLE);
    const part = file('b.pt', 100, 5000);
    assert.deepEqual(paths(t.scan([part], 5000)), ['b.pt'], 'first sight: it may be complete');
    assert.deepEqual(t.scan([file('b.pt', 200, 5100)], 5100), [], 'it grew: no longer read early');
    assert.equal(t.result(part, false, 5150), 'retry', 'the early read of the part: not reported');
    assert.deepEqual(t.scan([file('b.pt', 300, 5200)], 5200), [], 'still growing');
    assert.deepEqual(t.scan([file('b.pt', 300, 5200)], 6000), [], 'unchanged for 800 ms only');
    assert.deepEqual(
      t.scan([file('b.pt', 300, 5200)], 6200).map((f) => f.size),
      [300],
      'the whole file, once settled',
    );
  });

  it('retries an early read that fails once the file settles, and never reports it', () => {
    const t = new CheckpointTracker(() => SETTLE);
    const odd = file('c.pt', 80, 7000);
    assert.deepEqual(paths(t.scan([odd], 7000)), ['c.pt']);
    assert.equal(t.result(odd, false, 7010, true), 'retry', 'even a final failure of an early read');
    assert.equal(t.readyAt(), 7000 + SETTLE, 'read again when it should have settled, not later');
    assert.deepEqual(t.scan([odd], 7500), [], 'not before it settles');
    assert.deepEqual(paths(t.scan([odd], 8000)), ['c.pt'], 'settled: read again');
    assert.equal(t.result(odd, false, 8010), 'retry', 'the first failure of the settled file');
    assert.deepEqual(paths(t.scan([odd], 9010)), ['c.pt']);
    assert.equal(t.result(odd, false, 9020), 'problem', 'reported after two failures once settled');
  });

  it('reports a final failure of the settled read of a file first read early', () => {
    const t = new CheckpointTracker(() => SETTLE);
    const unsafe = file('evil.pt', 80, 7000);
    t.scan([unsafe], 7000);
    assert.equal(t.result(unsafe, false, 7010, true), 'retry');
    assert.deepEqual(paths(t.scan([unsafe], 8000)), ['evil.pt']);
    assert.equal(t.result(unsafe, false, 8010, true), 'problem');
  });

  it('reads a file again when it changed after an early read', () => {
    const t = new CheckpointTracker(() => SETTLE);
    const first = file('d.pt', 100, 3000);
    assert.deepEqual(paths(t.scan([first], 3000)), ['d.pt']);
    assert.equal(t.result(first, true, 3010), 'done', 'the early read succeeded');
    const rewritten = file('d.pt', 180, 3400);
    assert.deepEqual(t.scan([rewritten], 4000), [], 'changed at the settle check: waits to settle');
    assert.equal(t.readyAt(), 3400 + SETTLE, 'settled a settle time after its new mtime');
    assert.deepEqual(t.scan([rewritten], 4200), [], 'not before');
    assert.deepEqual(
      t.scan([rewritten], 4400).map((f) => f.size),
      [180],
      'read again, settled',
    );
    assert.equal(t.result(rewritten, true, 5010), 'done');
    assert.equal(t.readyAt(), undefined, 'a settled read needs no confirming');
  });

  it('reads the settle time at each scan, so a changed watcher.debounceMs applies to open runs', () => {
    let settle = 1000;
    const t = new CheckpointTracker(() => settle);
    assert.deepEqual(t.scan([file('a.pt', 0, 5000)], 5000), []);
    assert.deepEqual(t.scan([file('a.pt', 300, 5000)], 5000), [], 'seen changing');
    assert.deepEqual(t.scan([file('a.pt', 300, 5000)], 5200), [], 'unchanged for 200 ms of 1000');
    settle = 100;
    assert.deepEqual(paths(t.scan([file('a.pt', 300, 5000)], 5300)), ['a.pt'], 'unchanged for 300 ms of the new 100');
  });

  it('ignores empty files until they have content', () => {
    const t = new CheckpointTracker(() => SETTLE);
    assert.deepEqual(t.scan([file('a.pt', 0, 0)], 50_000), []);
    assert.deepEqual(paths(t.scan([file('a.pt', 8, 0)], 50_001)), ['a.pt']);
  });

  it('hands out an announced file without waiting', () => {
    const t = new CheckpointTracker(() => SETTLE);
    t.announce('b.pt');
    assert.deepEqual(paths(t.scan([file('b.pt', 64, 9000)], 9000)), ['b.pt']);
  });

  it('retries a file that fails once, and reports it only if it fails again unchanged', () => {
    const t = new CheckpointTracker(() => SETTLE);
    const partial = file('c.pt', 50, 1000);
    assert.deepEqual(paths(t.scan([partial], 10_000)), ['c.pt']);
    assert.equal(t.result(partial, false, 10_100), 'retry', 'never corrupt on first sight');
    assert.deepEqual(t.scan([partial], 10_500), [], 'waits to settle again');
    assert.deepEqual(paths(t.scan([partial], 11_200)), ['c.pt']);
    assert.equal(t.result(partial, false, 11_300), 'problem');
    assert.deepEqual(t.scan([partial], 20_000), [], 'a problem is not retried while unchanged');
    const complete = file('c.pt', 120, 21_000);
    assert.deepEqual(t.scan([complete], 21_000), [], 'new content of a known file waits to settle');
    assert.deepEqual(paths(t.scan([complete], 22_000)), ['c.pt']);
    assert.equal(t.result(complete, true, 22_100), 'done');
  });

  it('reports a final failure (not a file being written) at once, without a retry', () => {
    const t = new CheckpointTracker(() => SETTLE);
    const unsafe = file('evil.pt', 80, 1000);
    assert.deepEqual(paths(t.scan([unsafe], 10_000)), ['evil.pt']);
    assert.equal(t.result(unsafe, false, 10_100, true), 'problem');
    assert.deepEqual(t.scan([unsafe], 20_000), [], 'a problem is not retried while unchanged');
  });

  it('discards a result for content that changed while it was analysed', () => {
    const t = new CheckpointTracker(() => SETTLE);
    const first = file('d.pt', 10, 0);
    t.scan([first], 5000);
    t.scan([file('d.pt', 20, 5100)], 5100);
    assert.equal(t.result(first, true, 5200), 'retry');
  });

  it('hands every analysed file out again after a settings change, newest first', () => {
    const t = new CheckpointTracker(() => SETTLE);
    const files = [file('s-1.pt', 1, 0), file('s-2.pt', 1, 0), file('s-3.pt', 1, 0)];
    for (const f of t.scan(files, 5000)) t.result(f, true, 5000);
    assert.deepEqual(paths(t.requeueAll()), ['s-3.pt', 's-1.pt', 's-2.pt']);
  });
});

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

  it('waits until a growing file keeps its size and mtime for the settle time', () => {
    const t = new CheckpointTracker(() => SETTLE);
    assert.deepEqual(t.scan([file('a.pt', 100, 5000)], 5000), [], 'just written');
    assert.deepEqual(t.scan([file('a.pt', 300, 5600)], 5600), [], 'still growing');
    assert.deepEqual(t.scan([file('a.pt', 300, 5600)], 6000), [], 'unchanged for 400 ms only');
    assert.equal(t.hasPending, true);
    assert.deepEqual(paths(t.scan([file('a.pt', 300, 5600)], 6600)), ['a.pt'], 'unchanged for 1000 ms');
    assert.equal(t.hasPending, false);
  });

  it('reads the settle time at each scan, so a changed watcher.debounceMs applies to open runs', () => {
    let settle = 1000;
    const t = new CheckpointTracker(() => settle);
    assert.deepEqual(t.scan([file('a.pt', 300, 5000)], 5000), []);
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
    assert.deepEqual(t.scan([complete], 21_000), [], 'new content waits to settle');
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

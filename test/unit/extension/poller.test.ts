import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { RunWatcher } from '../../../src/extension/watch/runWatcher';
import { CheckpointTracker, type FileStat, type ReadyFile } from '../../../src/extension/watch/checkpointTracker';
import { MAX_BACKOFF_DOUBLINGS, MIN_SCAN_GAP_MS, PollSchedule } from '../../../src/extension/watch/pollSchedule';
import { until } from './helpers';

const POLL = 1000;

describe('PollSchedule (when a run folder is scanned next; the clock is the test’s)', () => {
  it('polls every pollMs while the folder changes', () => {
    const s = new PollSchedule(() => POLL);
    assert.equal(s.scanned(10_000, { changed: true }), 11_000);
    assert.equal(s.scanned(11_000, { changed: true }), 12_000);
  });

  it('doubles the interval after each quiet scan, up to eight times pollMs', () => {
    const s = new PollSchedule(() => POLL);
    let now = 0;
    const gaps: number[] = [];
    for (let i = 0; i < 6; i++) {
      const next = s.scanned(now, { changed: false });
      gaps.push(next - now);
      now = next;
    }
    assert.equal(MAX_BACKOFF_DOUBLINGS, 3);
    assert.deepEqual(gaps, [2000, 4000, 8000, 8000, 8000, 8000]);
    assert.equal(s.scanned(now, { changed: true }) - now, 1000, 'back to pollMs once something changes');
  });

  it('scans at once on a file event, and polls at the full rate again after it', () => {
    const s = new PollSchedule(() => POLL);
    let now = 0;
    for (let i = 0; i < 4; i++) now = s.scanned(now, { changed: false });
    assert.equal(s.interval, 8000);
    assert.equal(s.event(now + 10_000), now + 10_000, 'immediately');
    assert.equal(s.interval, 1000);
  });

  it('coalesces a burst of events into scans MIN_SCAN_GAP_MS apart', () => {
    const s = new PollSchedule(() => POLL);
    assert.equal(s.event(5000), 5000, 'the first event of a burst: at once');
    s.scanned(5010, { changed: true });
    assert.equal(s.event(5011), 5000 + MIN_SCAN_GAP_MS);
    assert.equal(s.event(5012), 5000 + MIN_SCAN_GAP_MS, 'one scan for the rest of the burst');
    s.scanned(5000 + MIN_SCAN_GAP_MS, { changed: true });
    assert.equal(s.event(5300), 5000 + 2 * MIN_SCAN_GAP_MS);
    assert.equal(s.event(6000), 6000, 'a quiet spell ends the burst');
  });

  it('scans at once for an event just after a poll or a settling file’s scan', () => {
    const s = new PollSchedule(() => POLL);
    s.scanned(5000, { changed: true, readyAt: 5300 });
    s.scanned(5300, { changed: false });
    assert.equal(s.event(5310), 5310, 'a checkpoint renamed into place right after a scan');
  });

  it('scans when a settling file becomes ready, before the next poll', () => {
    const s = new PollSchedule(() => POLL);
    assert.equal(s.scanned(10_000, { changed: true, readyAt: 10_300 }), 10_300);
    assert.equal(
      s.scanned(10_300, { changed: false, readyAt: 20_000 }),
      11_000,
      'a later ready time waits for the poll, which stays where it was',
    );
  });

  it('backs off after quiet polls only, not after quiet scans between them', () => {
    const s = new PollSchedule(() => POLL);
    assert.equal(s.scanned(0, { changed: true }), 1000);
    assert.equal(s.scanned(300, { changed: false }), 1000, 'a settling file’s scan');
    s.event(600);
    assert.equal(s.scanned(600, { changed: false }), 1000, 'an event’s scan that found nothing new');
    assert.equal(s.scanned(1000, { changed: false }), 3000, 'the quiet poll: twice pollMs');
    s.event(1500);
    assert.equal(s.scanned(1500, { changed: false }), 2500, 'after an event: pollMs again');
  });

  it('reads pollMs at each scan, so a changed setting applies to open runs', () => {
    let poll = 1000;
    const s = new PollSchedule(() => poll);
    assert.equal(s.scanned(0, { changed: true }), 1000);
    poll = 250;
    assert.equal(s.scanned(1000, { changed: true }), 1250);
  });
});

describe('CheckpointTracker.readyAt (when a settling file will be ready)', () => {
  const file = (path: string, size: number, mtimeMs: number): FileStat => ({ path, size, mtimeMs });

  it('is the settle time after the file was last seen changing, or after its mtime if that is earlier', () => {
    const t = new CheckpointTracker(() => 300);
    t.scan([file('a.pt', 0, 9_800)], 9_800);
    t.scan([file('a.pt', 10, 9_900)], 10_000);
    assert.equal(t.readyAt(), 10_200, 'mtime 9900 + 300');
    t.scan([file('a.pt', 20, 10_100)], 10_100);
    assert.equal(t.readyAt(), 10_400, 'grew at 10100: 10100 + 300');
    t.scan([file('a.pt', 20, 10_100)], 10_400);
    assert.equal(t.readyAt(), undefined, 'handed out: nothing waits');
  });

  it('does not plan for an empty file (a writer that has only created it)', () => {
    const t = new CheckpointTracker(() => 300);
    t.scan([file('a.pt', 0, 10_000)], 10_000);
    assert.equal(t.readyAt(), undefined);
  });
});

/** Collects what the watcher hands out. */
function collect(w: RunWatcher) {
  const files = new Map<string, ReadyFile>();
  const handedOut: string[] = [];
  w.onReady((batch) =>
    batch.forEach((f) => {
      handedOut.push(basename(f.path));
      files.set(basename(f.path), f);
    }),
  );
  return { files, handedOut };
}

const checkpoint = (dir: string, step: number, size = 2048) => {
  const name = `step-${String(step).padStart(6, '0')}.safetensors`;
  // Written under a temporary name, then renamed into place, as trainers do.
  writeFileSync(join(dir, `.${name}.tmp`), Buffer.alloc(size, step % 251));
  renameSync(join(dir, `.${name}.tmp`), join(dir, name));
  return name;
};

describe('RunWatcher polling (real files, no file event ever)', () => {
  const watchers: RunWatcher[] = [];
  const watch = (folder: string, sideFiles: string[] = []) => {
    const w = new RunWatcher({ folder }, { settleMs: () => 100, pollMs: () => 50 }, sideFiles);
    watchers.push(w);
    return w;
  };
  afterEach(() => watchers.splice(0).forEach((w) => w.dispose()));

  it('waits for a run folder that does not exist yet, then follows it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cl-poll-'));
    const folder = join(root, 'my-run');
    const w = watch(folder);
    const seen = collect(w);
    await w.start();
    assert.deepEqual(seen.handedOut, []);
    await new Promise((r) => setTimeout(r, 300)); // a few polls of a missing folder
    mkdirSync(join(folder, 'checkpoints'), { recursive: true });
    const name = checkpoint(join(folder, 'checkpoints'), 100);
    await until(() => seen.files.has(name));
    assert.equal(seen.files.get(name)!.size, 2048);
  });

  it('follows a tree created in one go (mkdir -p, then files at once), every checkpoint exactly once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cl-poll-'));
    const folder = join(root, 'outputs', 'sweep', '2026-12-01', '10-00-00', 'seed-0');
    const w = watch(folder);
    const seen = collect(w);
    await w.start();
    const dir = join(folder, 'checkpoints');
    mkdirSync(dir, { recursive: true });
    const names = [0, 100, 200].map((step) => checkpoint(dir, step));
    await until(() => names.every((n) => seen.files.has(n)));
    for (let step = 300; step <= 600; step += 100) {
      names.push(checkpoint(dir, step));
      await new Promise((r) => setTimeout(r, 30));
    }
    await until(() => names.every((n) => seen.files.has(n)));
    assert.deepEqual([...seen.handedOut].sort(), [...names].sort(), 'each checkpoint once');
  });

  it('hands out a file seen growing only once it is whole, without any event to say it changed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cl-poll-'));
    const w = new RunWatcher({ folder: root }, { settleMs: () => 2000, pollMs: () => 50 });
    watchers.push(w);
    const seen = collect(w);
    await w.start();
    const path = join(root, 'epoch_1.pt');
    writeFileSync(path, Buffer.alloc(1000, 1));
    // First sight: it might have been renamed into place whole, so it is read at once (and fails: a part).
    await until(() => seen.files.has('epoch_1.pt'));
    assert.equal(seen.files.get('epoch_1.pt')!.size, 1000);
    assert.equal(w.result(seen.files.get('epoch_1.pt')!, false), 'retry');
    for (let i = 1; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 20));
      writeFileSync(path, Buffer.alloc(1000, 1), { flag: 'a' });
    }
    await until(() => seen.handedOut.length === 2);
    assert.equal(seen.files.get('epoch_1.pt')!.size, 10_000, 'the whole file');
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(seen.handedOut, ['epoch_1.pt', 'epoch_1.pt'], 'no part in between');
  });

  it('reports side files (metrics.jsonl) as they appear and grow', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cl-poll-'));
    const w = watch(root, ['metrics.jsonl']);
    const sizes: number[] = [];
    w.onSideFiles((files) => sizes.push(files[0].size));
    await w.start();
    writeFileSync(join(root, 'metrics.jsonl'), '{"step":1,"loss":0.5}\n');
    await until(() => sizes.length === 1);
    writeFileSync(join(root, 'metrics.jsonl'), '{"step":2,"loss":0.25}\n', { flag: 'a' });
    await until(() => sizes.length === 2);
    assert.deepEqual(sizes, [22, 45]);
  });
});

import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisQueue } from '../../../src/extension/analysis/analysisQueue';
import { AnalysisWorker } from '../../../src/extension/analysis/analysisWorker';
import { isSameProcess, type ProcessRecord } from '../../../src/extension/run/processRecord';
import { RunManager } from '../../../src/extension/run/runManager';
import { GONE_MESSAGE } from '../../../src/extension/run/runSession';
import { DEFAULT_SETTINGS } from '../../../src/protocol/settings';
import { groupGone, until, workerBundle } from './helpers';

const script = join(__dirname, 'scripts', 'progressWriter.js');

/** Each RunManager stands for one extension host: disposing it is the window going away. */
describe('runs surviving the extension host (real processes, real files)', () => {
  let worker: AnalysisWorker;
  const managers: RunManager[] = [];
  const host = () => {
    const m = new RunManager({
      queue: new AnalysisQueue(worker.execute),
      settings: () => DEFAULT_SETTINGS,
      debounceMs: () => 100,
      pollMs: () => 200,
      log: () => undefined,
      process: { stopGraceMs: 1000, outputPollMs: 50 },
    });
    managers.push(m);
    return m;
  };
  before(async () => {
    worker = new AnalysisWorker(await workerBundle());
  });
  afterEach(() => managers.splice(0).forEach((m) => m.dispose()));
  after(() => worker.dispose());

  const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  const launchLive = (dir: string) => {
    const run = host().open({ name: 'live', target: { folder: dir } });
    run.launch({ command: process.execPath, args: [script, 'live'], cwd: dir });
    return run;
  };

  it('keeps training when its host goes; a new host finds it again, shows it running, and Stop works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-reattach-'));
    const first = launchLive(dir);
    await until(() => (first.info.step ?? 0) >= 2);
    const record = manifest(dir).process as ProcessRecord;
    assert.equal(record.host, hostname());
    assert.deepEqual(record.command, [process.execPath, script, 'live']);
    assert.equal(typeof record.startTicks, 'number', 'the start time from /proc/<pid>/stat');
    managers[0].dispose(); // the window reloads

    assert.ok(isSameProcess(record), 'the process outlived its host');
    const again = host().open({ name: 'live', target: { folder: dir } });
    await until(() => again.info.status === 'running');
    const step = again.info.step ?? 0;
    await until(() => (again.info.step ?? 0) > step + 2); // its step lines still arrive
    assert.equal(again.running, true);
    await again.stop();
    assert.equal(again.info.status, 'stopped');
    await until(() => groupGone(record.pid));
  });

  it('shows a run whose process is gone without a finished or failed line as ended, not watching', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-reattach-'));
    const first = launchLive(dir);
    await until(() => (first.info.step ?? 0) >= 1);
    const record = manifest(dir).process as ProcessRecord;
    managers[0].dispose();
    process.kill(-record.pid, 'SIGKILL'); // killed while no window watched it
    await until(() => !isSameProcess(record));
    const again = host().open({ name: 'live', target: { folder: dir } });
    await until(() => again.info.status === 'ended');
    assert.equal(again.info.message, GONE_MESSAGE);
    assert.equal(again.running, false);
  });

  it('a run that finished while no host watched: finished, from its output file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-reattach-'));
    const first = launchLive(dir);
    await until(() => (first.info.step ?? 0) >= 1);
    const record = manifest(dir).process as ProcessRecord;
    managers[0].dispose();
    process.kill(record.pid, 'SIGTERM'); // the script says finished, then exits 0
    await until(() => !isSameProcess(record));
    const again = host().open({ name: 'live', target: { folder: dir } });
    await until(() => again.info.status === 'finished');
  });

  it('records how the process ended when its host saw it, for a later host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-reattach-'));
    const run = host().open({ name: 'fail', target: { folder: dir } });
    run.launch({ command: process.execPath, args: [script, 'fail'], cwd: dir });
    await until(() => existsSync(join(dir, 'run.json')) && manifest(dir).process?.exit !== undefined);
    assert.deepEqual(manifest(dir).process.exit, { code: 3, signal: null, stopped: false });
    managers[0].dispose();
    const again = host().open({ name: 'fail', target: { folder: dir } });
    await until(() => again.info.status === 'failed');
    assert.equal(again.info.message, 'exited with code 3: Error: the data set is empty');
  });

  it('finds the live runs of a runs folder again on activation, and only those', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cl-runs-'));
    const [live, done] = ['relu-1d-20261201-100000', 'relu-1d-20261201-090000'].map((n) => join(root, n));
    const a = launchLive(live);
    const b = host().open({ name: 'done', target: { folder: done } });
    b.launch({ command: process.execPath, args: [script, 'finish'], cwd: done });
    await until(() => (a.info.step ?? 0) >= 1 && b.info.status === 'finished');
    await until(() => manifest(done).process?.exit !== undefined);
    managers[0].dispose();
    const next = host();
    const found = await next.reopenLive(root);
    assert.deepEqual(
      found.map((r) => r.id),
      [live],
    );
    assert.equal(next.current, found[0]);
    await until(() => found[0].info.status === 'running');
    await found[0].stop();
    assert.equal(found[0].info.status, 'stopped');
  });

  it('does not take a later process with the same pid for the recorded one', () => {
    const record: ProcessRecord = {
      pid: process.pid,
      startTicks: Number(readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19]),
      startedAt: Date.now(),
      host: hostname(),
      command: ['node'],
      cwd: '/',
      logs: { stdout: 'o', stderr: 'e' },
    };
    assert.equal(isSameProcess(record), true, 'this very process');
    assert.equal(isSameProcess({ ...record, startTicks: record.startTicks! + 1 }), false, 'another start time');
    assert.equal(isSameProcess({ ...record, host: `${hostname()}-elsewhere` }), false, 'another machine');
  });
});

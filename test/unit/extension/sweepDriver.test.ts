// A sweep driven from the editor, with real processes: the built CLI's `sweep --progress json` as a detached
// driver; its points open as runs labelled by what varies, and Stop ends the driver and every trainer.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SweepManager } from '../../../src/extension/sweep/sweepManager';
import { sweepCommandArgs, type SweepForm } from '../../../src/extension/sweep/sweepForm';
import { readSweepRecord } from '../../../src/extension/sweep/sweepSession';
import { groupGone, realRunManager, root, until } from './helpers';
import { useTempDir } from '../helpers/tempDir';

const CLI = join(root, 'dist', 'cli.js');

const form = (over: Partial<SweepForm>): SweepForm => ({
  preset: 'relu-1d',
  gamma: [0.5, 1],
  width: [8],
  dropout: [],
  seeds: 1,
  parallel: 2,
  backend: 'fused',
  ...over,
});

describe('a sweep driven from the editor (real processes)', function () {
  this.timeout(120_000);
  const manager = realRunManager();
  const temp = useTempDir('cl-sweep-driver-');
  let sweeps: SweepManager;
  beforeEach(() => (sweeps = new SweepManager(manager(), () => undefined, { stopGraceMs: 2000, outputPollMs: 50 })));
  afterEach(() => sweeps.dispose());

  const launch = (dir: string, f: SweepForm) =>
    sweeps.launch(dir, { command: process.execPath, args: [CLI, ...sweepCommandArgs(f, dir)], cwd: dir });
  const runOf = (folder: string) => manager().get(folder);

  it('opens each point as a run labelled by its γ, and both finish with their checkpoints analysed', async () => {
    const dir = temp('tiny');
    const sweep = launch(dir, form({ steps: 40, every: 20 }));
    await until(() => sweep.end !== undefined);
    assert.deepEqual(sweep.end, { status: 'finished', message: undefined });
    assert.deepEqual(sweep.totals, {
      type: 'sweep-progress',
      steps: 80,
      totalSteps: 80,
      finished: 2,
      failed: 0,
      points: 2,
    });
    for (const [name, label] of [
      ['gamma=0.5', 'γ = 0.5'],
      ['gamma=1', 'γ = 1'],
    ]) {
      const folder = join(dir, name);
      // The trainer wrote steps 0, 20 and 40; the run analyses all three.
      assert.deepEqual(readdirSync(join(folder, 'checkpoints')).sort(), [
        'step-000000.safetensors',
        'step-000020.safetensors',
        'step-000040.safetensors',
      ]);
      const run = runOf(folder);
      assert.ok(run, `${folder} opened`);
      assert.equal(run.info.name, label);
      assert.equal(run.info.status, 'finished');
      await until(() => run.model.checkpointCount === 3);
    }
  });

  it('Stop ends the driver and every trainer of its process group, and the runs say stopped', async () => {
    const dir = temp('long');
    const sweep = launch(dir, form({ steps: 10_000_000, every: 1_000_000 }));
    await until(() => ['gamma=0.5', 'gamma=1'].every((n) => runOf(join(dir, n))?.info.status === 'running'));
    const pid = readSweepRecord(dir)!.pid;
    await sweep.stop();
    await until(() => sweep.end !== undefined);
    assert.equal(sweep.end?.status, 'stopped');
    await until(() => groupGone(pid));
    for (const n of ['gamma=0.5', 'gamma=1']) assert.equal(runOf(join(dir, n))?.info.status, 'stopped');
  });

  it('is found again by a later window while it trains, and stopped from there', async () => {
    const dir = temp('reload');
    launch(dir, form({ steps: 10_000_000, every: 1_000_000 }));
    await until(() => runOf(join(dir, 'gamma=1'))?.info.status === 'running');
    const pid = readSweepRecord(dir)!.pid;
    // The window goes: the driver trains on.
    sweeps.dispose();
    assert.equal(groupGone(pid), false);
    sweeps = new SweepManager(manager(), () => undefined, { stopGraceMs: 2000, outputPollMs: 50 });
    const [found] = await sweeps.reopenLive(join(dir, '..'));
    assert.equal(found?.folder, dir);
    assert.equal(found.running, true);
    await found.stop();
    await until(() => groupGone(pid) && found.end !== undefined);
    assert.equal(found.end?.status, 'stopped');
  });
});

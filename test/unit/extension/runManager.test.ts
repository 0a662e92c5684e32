import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSession } from '../../../src/extension/run/runSession';
import { DEFAULT_SETTINGS, withDefaults, type AnalysisSettings } from '../../../src/protocol/settings';
import { fixture, realRunManager, until } from './helpers';

/** Values of the independent NumPy implementation (test/fixtures/README.md). */
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8'));
const script = join(__dirname, 'scripts', 'progressWriter.js');

const column = (run: RunSession, layer: string, key: 'step' | 'clusters' | 'active') =>
  run.model.series(layer).map((p) => p[key]);

describe('RunManager (real child process, real worker, real files)', () => {
  let settings: AnalysisSettings;
  const log: string[] = [];
  beforeEach(() => {
    settings = DEFAULT_SETTINGS;
  });
  const manager = realRunManager({ settings: () => settings, log: (l) => log.push(l) });

  it('runs a training script, watches its checkpoints arrive and builds the time series', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'cl-run-'));
    const run = manager().open({ name: 'copy', target: { folder: runDir } });
    run.launch({
      command: process.execPath,
      args: [script, 'copy', fixture('reference', 'gamma1')],
      cwd: runDir,
      env: { CONDENSATION_LENS_RUN_DIR: runDir },
    });
    assert.equal(manager().current, run);
    await until(() => run.info.status === 'finished' && run.model.series('fc1').length === 3);
    const want = expected.runs['reference/gamma1'];
    const names = ['step-000000.pt', 'step-001000.pt', 'step-010000.pt'];
    assert.deepEqual(column(run, 'fc1', 'step'), [0, 1000, 10000]);
    assert.deepEqual(
      column(run, 'fc1', 'clusters'),
      names.map((n) => want[n].fc1.clusters),
    );
    assert.deepEqual(
      column(run, 'fc1', 'active'),
      names.map((n) => want[n].fc1.active),
    );
    const change = run.model.series('fc1')[2].relativeChange!;
    assert.ok(Math.abs(change - want['step-010000.pt'].fc1.relativeChange) < 1e-3, `relativeChange ${change}`);
    assert.deepEqual(
      run.model.loss,
      [0, 1000, 10000].map((step) => ({ step, loss: 1 / (step + 1) })),
    );
    assert.deepEqual(run.model.problems, []);
    assert.equal(run.running, false);
  });

  it('reports a checkpoint left partial only after a retry, and analyses it once complete', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'cl-run-'));
    const whole = readFileSync(fixture('pytorch', 'state_dict.pt'));
    const partial = join(runDir, 'step-7.pt');
    writeFileSync(partial, whole.subarray(0, whole.length >> 1));
    copyFileSync(fixture('pytorch', 'state_dict.pt'), join(runDir, 'step-5.pt'));
    const run = manager().open({ name: 'watched', target: { folder: runDir } });
    await until(() => run.model.problems.length === 1);
    assert.match(run.model.problems[0].error, /^step-7\.pt: /);
    assert.ok(
      log.some((l) => l.startsWith('not readable yet, will retry: step-7.pt')),
      'it was retried before being reported',
    );
    assert.deepEqual(column(run, 'fc1', 'step'), [5]);
    writeFileSync(partial, whole);
    run.poke();
    await until(() => run.model.series('fc1').length === 2);
    assert.deepEqual(run.model.problems, []);
  });

  it('analyses every checkpoint again when the settings change', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'cl-run-'));
    copyFileSync(fixture('pytorch', 'state_dict.pt'), join(runDir, 'step-1.pt'));
    const run = manager().open({ name: 'settings', target: { folder: runDir } });
    const at = (threshold: number) =>
      expected.variants.find(
        (v: { checkpoint: string; settings: { threshold: number; activeFraction: number } }) =>
          v.checkpoint === 'pytorch/state_dict.pt' &&
          v.settings.threshold === threshold &&
          v.settings.activeFraction === 0.05,
      );
    await until(() => run.model.series('fc1').length === 1);
    assert.equal(
      run.model.series('fc1')[0].clusters,
      expected.checkpoints['pytorch/state_dict.pt'].layers.fc1.clusters,
    );
    settings = withDefaults({ threshold: 0.8 });
    manager().reanalyseAll();
    assert.equal(run.model.series('fc1').length, 0, 'the old series is dropped at once');
    await until(() => run.model.series('fc1').length === 1);
    assert.equal(run.model.series('fc1')[0].clusters, at(0.8).layers.fc1.clusters);
  });

  it('measures relativeChange again against an earlier checkpoint that arrives after later ones', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'cl-run-'));
    const source = (name: string) => fixture('reference', 'gamma1', name);
    for (const name of ['step-001000.pt', 'step-010000.pt']) copyFileSync(source(name), join(runDir, name));
    const run = manager().open({ name: 'late', target: { folder: runDir } });
    const change = () => run.model.series('fc1').find((p) => p.step === 10000)?.relativeChange;
    await until(() => run.model.series('fc1').length === 2 && change() !== undefined);
    const want = expected.runs['reference/gamma1']['step-010000.pt'].fc1.relativeChange;
    assert.ok(
      Math.abs(change()! - want) > 1e-2,
      `against step 1000 the change ${change()} differs from NumPy's against step 0, ${want}`,
    );
    copyFileSync(source('step-000000.pt'), join(runDir, 'step-000000.pt'));
    run.poke();
    await until(() => run.model.series('fc1').length === 3 && change() !== undefined);
    assert.deepEqual(column(run, 'fc1', 'step'), [0, 1000, 10000]);
    assert.ok(Math.abs(change()! - want) < 1e-3, `relativeChange ${change()} after step 0 arrived, NumPy says ${want}`);
    assert.ok(
      log.some((l) => l.includes('step-000000.pt comes before') && l.includes('step-001000.pt')),
      log.join('\n'),
    );
  });

  it('stopping a run ends its process and marks it stopped', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'cl-run-'));
    const run = manager().open({ name: 'hang', target: { folder: runDir } });
    const proc = run.launch({
      command: process.execPath,
      args: [script, 'hang', join(runDir, 'pids.json')],
      cwd: runDir,
    });
    await until(() => run.info.backend === 'cpu');
    assert.equal(run.running, true);
    const ended = new Promise((r) => manager().onDidEnd(({ end }) => r(end.status)));
    await run.stop();
    assert.equal(await ended, 'stopped');
    assert.equal(run.info.status, 'stopped');
    const groupGone = () => {
      try {
        process.kill(-proc.pid!, 0);
        return false;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ESRCH';
      }
    };
    await until(groupGone);
  });
});

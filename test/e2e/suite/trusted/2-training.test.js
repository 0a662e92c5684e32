// Start Training Run through executeCommand on a tiny preset: a run folder fills with checkpoints,
// the trainer ends by itself, and the analysed series reach the run's panel; then a long run is stopped.
const vscode = require('vscode');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../helpers');
const ext = require('../extensionApi');

/** relu-1d shrunk to a few seconds: 8 neurons, 40 steps, a checkpoint every 10 steps. */
const TINY = { preset: 'relu-1d', overrides: { width: 8, steps: 40, every: 10 } };
/** A run far too long to finish during the test, so that only Stop can end it. */
const LONG = { preset: 'relu-1d', overrides: { width: 8, steps: 200000, every: 1000 } };
const START_MS = 30000;
const TRAIN_MS = 90000;
const STOP_MS = 15000;

async function startRun(args) {
  const before = new Set(h.listRunFolders());
  await vscode.commands.executeCommand('condensationLens.startTraining', args);
  return h.waitFor(
    'a new run folder under the runs folder',
    () => h.listRunFolders().find((f) => !before.has(f)),
    START_MS,
  );
}

describe('Start Training Run (relu-1d, width 8, 40 steps)', () => {
  let api;
  let runFolder;

  before(async () => {
    api = await ext.activate();
    assert.deepEqual(h.trainerProcesses(), [], 'no trainer runs before the test');
  });

  // The run may end within a second: only evidence that outlives the process is checked here (the Stop test
  // below sees dist/trainer.js in the process table, on a run too long to end by itself).
  it('creates a fresh run folder and the built-in trainer starts in it', async () => {
    runFolder = await startRun(TINY);
    const manifest = path.join(runFolder, 'run.json');
    // The editor writes run.json first (its `process` entry); the trainer then adds its own fields.
    const preset = () => fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).preset;
    await h.waitFor(`the trainer's ${manifest}`, preset, START_MS);
    assert.equal(preset(), TINY.preset);
    assert.ok(JSON.parse(fs.readFileSync(manifest, 'utf8')).process.pid > 0, 'the process entry is kept');
    await h.waitFor(
      "the trainer's started line (its backend)",
      () => ext.runSnapshot(api, runFolder)?.backend,
      START_MS,
      () => JSON.stringify(ext.runSnapshot(api, runFolder)),
    );
  });

  it('writes a complete checkpoint every 10 steps up to step 40, shaped by the width override', async () => {
    const files = await h.waitFor(
      'the step-40 checkpoint',
      () => {
        const f = h.checkpointFiles(runFolder);
        return f.some((c) => c.step === 40) && f;
      },
      TRAIN_MS,
    );
    const steps = files.map((f) => f.step);
    for (const s of [10, 20, 30, 40]) assert.ok(steps.includes(s), `no checkpoint for step ${s}: ${steps}`);
    assert.ok(
      steps.every((s) => s % 10 === 0 && s <= 40),
      `unexpected checkpoint steps ${steps}`,
    );
    for (const f of files) {
      const { header, complete } = h.readSafetensorsHeader(f.path);
      assert.ok(complete, `${f.path} is truncated`);
      assert.deepEqual(header['fc1.weight'].shape, [8, 1], `${f.path}: fc1.weight`);
      assert.deepEqual(header['fc1.bias'].shape, [8], `${f.path}: fc1.bias`);
      assert.deepEqual(header['fc2.weight'].shape, [1, 8], `${f.path}: fc2.weight`);
    }
  });

  it('ends by itself: the trainer process is gone and the run is finished', async () => {
    await h.waitFor('the trainer to exit', () => h.processesMentioning(runFolder).length === 0, TRAIN_MS);
    const run = await h.waitFor(
      'the run to settle',
      () => {
        const r = ext.runSnapshot(api, runFolder);
        return r && !r.running && r.status !== 'running' && r;
      },
      START_MS,
      () => JSON.stringify(ext.runSnapshot(api, runFolder)),
    );
    assert.equal(run.status, 'finished', `run ended as ${run.status}: ${run.message || ''}`);
  });

  it("analyses every checkpoint and delivers each layer's series to the run's panel", async () => {
    const count = h.checkpointFiles(runFolder).length;
    const run = await h.waitFor(
      `${count} analysed checkpoints delivered to the panel`,
      () => {
        const r = ext.runSnapshot(api, runFolder);
        return r && r.checkpoints === count && r.panel && r.panel.delivered.fc1 === count && r;
      },
      TRAIN_MS,
      () => JSON.stringify(ext.runSnapshot(api, runFolder)),
    );
    assert.deepEqual(run.problems, [], 'unreadable checkpoints');
    // fc1 has 8 neurons; fc2 has one and is skipped (docs/metrics.md: layers with fewer than 2 neurons).
    assert.deepEqual(Object.keys(run.series), ['fc1'], 'analysed layers');
    assert.equal(run.series.fc1, count, 'one point per checkpoint in the run model');
    assert.equal(run.panel.ready, true, 'the panel announced ready');
    assert.deepEqual(run.panel.delivered, { fc1: count }, 'points delivered to the panel per layer');
  });
});

describe('Stop Training Run', () => {
  let api;
  before(async () => {
    api = await ext.activate();
  });

  it('stops a running trainer: the process is gone, the run is stopped and its checkpoints are complete', async () => {
    const runFolder = await startRun(LONG);
    const pids = await h.waitFor(
      'the trainer process',
      () => {
        const p = h.processesMentioning(runFolder);
        return p.length > 0 && p;
      },
      START_MS,
    );
    const commands = pids.map(h.commandLine);
    assert.ok(
      commands.some((args) => args.some(h.isTrainerScript)),
      `no dist/trainer.js among ${JSON.stringify(commands)}`,
    );
    await h.waitFor('the first checkpoint', () => h.checkpointFiles(runFolder).length > 0, TRAIN_MS);
    await vscode.commands.executeCommand('condensationLens.stopTraining');
    await h.waitFor(`processes ${pids} to exit`, () => pids.every((pid) => !h.isAlive(pid)), STOP_MS);
    assert.deepEqual(h.processesMentioning(runFolder), [], 'a process of the run is still alive');
    const run = await h.waitFor(
      'the run to settle',
      () => {
        const r = ext.runSnapshot(api, runFolder);
        return r && !r.running && r.status !== 'running' && r;
      },
      STOP_MS,
      () => JSON.stringify(ext.runSnapshot(api, runFolder)),
    );
    assert.equal(run.status, 'stopped', `status after stop: ${run.status} ${run.message || ''}`);
    const steps = h.checkpointFiles(runFolder).map((f) => f.step);
    assert.ok(
      Math.max(...steps) < LONG.overrides.steps,
      `the run reached its last step ${Math.max(...steps)} although it was stopped`,
    );
    for (const f of h.checkpointFiles(runFolder))
      assert.ok(h.readSafetensorsHeader(f.path).complete, `${f.path} is truncated`);
  });
});

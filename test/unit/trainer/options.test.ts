// Presets as the papers define them, flags that override them, and the run folder's files.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackendError } from '../../../src/core/backend';
import { openCheckpoint } from '../../../src/core/formats';
import { makeDataset } from '../../../src/trainer/data';
import { TrainOptionsError, parseTrainArgs, type TrainOptions } from '../../../src/trainer/options';
import { findPreset } from '../../../src/trainer/presets';
import { RunFolderError, RunWriter } from '../../../src/trainer/runFolder';
import { tempDir, trainPreset } from './helpers';

function parse(argv: string[]): TrainOptions {
  const options = parseTrainArgs(argv, new Date(2025, 0, 31, 14, 25, 1));
  assert.notEqual(options, 'help');
  return options as TrainOptions;
}

describe('trainer presets and flags', () => {
  it('relu-1d and tanh-5d are the docs/metrics.md reference setups', () => {
    assert.deepEqual(findPreset('relu-1d')?.config, {
      width: 1000,
      gamma: 1,
      lr: 0.05,
      steps: 10000,
      every: 100,
      dropout: 0,
      activation: 'relu',
      optimizer: 'sgd',
      seed: 0,
      dataset: 'relu-1d',
      loss: 'half-mse',
    });
    assert.deepEqual(findPreset('tanh-5d')?.config, {
      width: 50,
      gamma: 4,
      lr: 0.001,
      steps: 300,
      every: 5,
      dropout: 0,
      activation: 'tanh',
      optimizer: 'adam',
      seed: 0,
      dataset: 'sin-5d',
      loss: 'mse',
    });
    const dropout = findPreset('dropout-tanh-1d')!.config;
    assert.deepEqual(
      [dropout.activation, dropout.width, dropout.dropout, dropout.gamma, dropout.optimizer],
      ['tanh', 1000, 0.1, 0.5, 'adam'],
    );
  });

  it('relu-1d data: x = linspace(−1, 1, 4), y = 0.2·ReLU(x − 1/3) + 0.2·ReLU(−x − 1/3)', () => {
    const d = makeDataset('relu-1d', 0);
    assert.deepEqual([...d.x], [-1, -1 / 3, 1 / 3, 1].map(Math.fround));
    assert.deepEqual([...d.y], [0.4 / 3, 0, 0, 0.4 / 3].map(Math.fround));
  });

  it('sin-5d data: 80 points in [−4, 2)^5, y = Σ 3.5·sin(5·x_k + 1), a different draw per seed', () => {
    const d = makeDataset('sin-5d', 0);
    assert.deepEqual([d.count, d.inputDim, d.x.length], [80, 5, 400]);
    assert.ok(d.x.every((v) => v >= -4 && v < 2));
    for (let i = 0; i < 80; i++) {
      let y = 0;
      for (let k = 0; k < 5; k++) y += 3.5 * Math.sin(5 * d.x[i * 5 + k] + 1);
      assert.ok(Math.abs(d.y[i] - y) < 1e-5, `point ${i}`);
    }
    assert.notDeepEqual(makeDataset('sin-5d', 1).x, d.x);
  });

  it('defaults: runs/<preset>-<timestamp>, backend auto, a text progress bar', () => {
    const o = parse(['tanh-5d']);
    assert.deepEqual(
      [o.preset, o.out, o.backend, o.progress],
      ['tanh-5d', join('runs', 'tanh-5d-20250131-142501'), 'auto', 'text'],
    );
    assert.deepEqual(o.config, findPreset('tanh-5d')!.config);
  });

  it('every flag overrides the preset', () => {
    const o = parse([
      'relu-1d',
      '--width',
      '64',
      '--gamma',
      '0.25',
      '--lr',
      '0.2',
      '--steps',
      '7',
      '--every',
      '3',
      '--dropout',
      '0.3',
      '--activation',
      'tanh',
      '--optimizer',
      'adam',
      '--seed',
      '42',
      '--out',
      'here',
      '--backend',
      'cpu',
      '--progress',
      'json',
    ]);
    assert.deepEqual(o, {
      preset: 'relu-1d',
      out: 'here',
      backend: 'cpu',
      progress: 'json',
      config: {
        width: 64,
        gamma: 0.25,
        lr: 0.2,
        steps: 7,
        every: 3,
        dropout: 0.3,
        activation: 'tanh',
        optimizer: 'adam',
        seed: 42,
        dataset: 'relu-1d',
        loss: 'half-mse',
      },
    });
  });

  it('rejects bad flags with a message naming the flag', () => {
    const cases: [string[], RegExp][] = [
      [['nope'], /unknown preset 'nope'; the presets are relu-1d, /],
      [[], /expected one preset name/],
      [['relu-1d', '--width', '0'], /--width expects a whole number ≥ 1, got '0'/],
      [['relu-1d', '--steps', '2.5'], /--steps expects/],
      [['relu-1d', '--dropout', '1'], /--dropout expects a probability/],
      [['relu-1d', '--lr', '0'], /--lr expects a positive number/],
      [['relu-1d', '--gamma', '-1'], /--gamma=-XYZ/],
      [['relu-1d', '--activation', 'sigmoid'], /--activation expects one of relu, tanh/],
      [['relu-1d', '--backend', 'gpu'], /--backend expects one of auto, tensorflow-gpu/],
      [['relu-1d', '--colour'], /--colour/],
    ];
    for (const [argv, message] of cases)
      assert.throws(
        () => parseTrainArgs(argv),
        (e: Error) => e instanceof TrainOptionsError && message.test(e.message),
        argv.join(' '),
      );
    assert.equal(parseTrainArgs(['--help']), 'help');
  });
});

describe('trainer run folder', function () {
  this.timeout(60_000);

  it('writes run.json, metrics every `every` steps, and a checkpoint loss that its weights reproduce', async () => {
    const run = await trainPreset('relu-1d', { steps: 25, every: 10 });
    const manifest = JSON.parse(readFileSync(join(run.dir, 'run.json'), 'utf8'));
    assert.deepEqual(
      [manifest.name, manifest.preset, manifest.backend, manifest.config.steps],
      ['run', 'relu-1d', 'wasm', 25],
    );
    assert.ok(!Number.isNaN(Date.parse(manifest.startedAt)));
    const metrics = readFileSync(join(run.dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      metrics.map((m) => m.step),
      [0, 10, 20, 25],
    );

    // ½·mean((f − y)²) recomputed in double precision from the stored weights (PyTorch layout).
    const ckpt = await openCheckpoint(join(run.dir, 'checkpoints', 'step-000010.safetensors'));
    const [w, b, a] = await Promise.all(['fc1.weight', 'fc1.bias', 'fc2.weight'].map((n) => ckpt.read(n)));
    assert.deepEqual(ckpt.metadata.preset, 'relu-1d');
    const loss = Number(ckpt.metadata.loss);
    await ckpt.close();
    const xs = [-1, -1 / 3, 1 / 3, 1];
    const ys = xs.map((x) => 0.2 * Math.max(x - 1 / 3, 0) + 0.2 * Math.max(-x - 1 / 3, 0));
    let sum = 0;
    xs.forEach((x, i) => {
      let f = 0;
      for (let k = 0; k < 1000; k++) f += a[k] * Math.max(w[k] * x + b[k], 0);
      sum += (f - ys[i]) ** 2;
    });
    assert.ok(Math.abs(loss - sum / 8) <= 1e-5 * loss, `${loss} vs ${sum / 8}`);
    assert.equal(metrics[1].loss, loss);
  });

  it('a backend that cannot load says how to install it, and creates no folder', async () => {
    const out = join(tempDir(), 'run');
    await assert.rejects(
      trainPreset('relu-1d', { steps: 1 }, 'tensorflow-gpu', out),
      (e: Error) => e instanceof BackendError && /npm install @tensorflow\/tfjs-node-gpu/.test(e.message),
    );
    assert.equal(existsSync(out), false);
  });

  it('refuses a folder that already holds checkpoints', async () => {
    const run = await trainPreset('relu-1d', { steps: 1 });
    assert.throws(
      () => new RunWriter(run.dir),
      (e: Error) => e instanceof RunFolderError && /already holds checkpoints.*--out/.test(e.message),
    );
  });
});

// `condensation-lens presets | train | demo` and `node dist/trainer.js` as users run them (the built files).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseProgressLine } from '../../../src/protocol/trainerProgress';
import { PRESETS } from '../../../src/trainer/presets';
import { ROOT, tempDir } from './helpers';

function run(file: string, ...args: string[]) {
  const path = join(ROOT, 'dist', file);
  if (!existsSync(path)) throw new Error(`${path} is missing: run 'npm run build' first`);
  const r = spawnSync(process.execPath, [path, ...args], { encoding: 'utf8', cwd: tempDir() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('train, presets and demo (built CLI and trainer)', function () {
  this.timeout(120_000);

  it('presets: one line per preset, name first', () => {
    const r = run('cli.js', 'presets');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.split(/\s+/)[0]),
      ['relu-1d', 'tanh-1d', 'dropout-tanh-1d', 'tanh-5d', 'relu-2d', 'phase-relu-1d'],
    );
    assert.equal(lines.length, PRESETS.length);
  });

  it('train --progress json: docs/formats.md lines on stdout only, the run folder on disk, exit 0', () => {
    const out = join(tempDir(), 'run');
    const r = run(
      'cli.js',
      'train',
      'relu-2d',
      '--steps',
      '20',
      '--every',
      '10',
      '--backend',
      'wasm',
      '--progress',
      'json',
      '--out',
      out,
    );
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => parseProgressLine(l));
    assert.deepEqual(lines[0], { type: 'started', run: out, backend: 'wasm' });
    assert.deepEqual(
      lines.filter((l) => l?.type === 'checkpoint').map((l) => l?.type === 'checkpoint' && l.path),
      [0, 10, 20].map((s) => `checkpoints/step-0000${String(s).padStart(2, '0')}.safetensors`),
    );
    assert.deepEqual(lines.at(-1), { type: 'finished', step: 20 });
    assert.deepEqual(readdirSync(out).sort(), ['checkpoints', 'metrics.jsonl', 'run.json']);
  });

  it('usage errors exit 2 with one line naming the problem; --help exits 0', () => {
    const bad = run('cli.js', 'train', 'relu-3d');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown preset 'relu-3d'/);
    const trainer = run('trainer.js', 'relu-1d', '--every', 'often');
    assert.equal(trainer.code, 2);
    assert.equal(trainer.stderr, "error: --every expects a whole number ≥ 1, got 'often' (see --help)\n");
    const help = run('trainer.js', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--backend B +auto \| tensorflow-gpu \| tensorflow \| wasm \| cpu/);
  });

  it('a named backend that is not installed: a `failed` line saying how to install it, exit 1', () => {
    const r = run(
      'trainer.js',
      'relu-1d',
      '--backend',
      'tensorflow',
      '--progress',
      'json',
      '--out',
      join(tempDir(), 'run'),
    );
    assert.equal(r.code, 1);
    const line = parseProgressLine(r.stdout.trim());
    assert.ok(line?.type === 'failed' && /npm install @tensorflow\/tfjs-node/.test(line.message), r.stdout);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace for an expected error');
  });

  it('demo (npm start): trains tanh-5d, prints the engine’s table and the condensation story', () => {
    const out = join(tempDir(), 'run');
    const r = run('cli.js', 'demo', '--backend', 'wasm', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /step {2}clusters {2}effective {2}largest {3}loss/);
    const story =
      /fc1 \(50 neurons\): (\d+) clusters at step 0 → (\d+) at step (\d+) \(initial condensation\) → (\d+) at step 300/.exec(
        r.stdout,
      );
    assert.ok(story, r.stdout);
    const [, start, fewest, when, end] = story.map(Number);
    assert.ok(start > 20 && fewest <= 3 && when <= 50 && end > fewest, story[0]);
    assert.match(r.stdout, new RegExp(`run folder: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

// Sweep grids, folders and the Slurm script; a real 3-run sweep through the built CLI, read back by the engine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeRun } from '../../../src/core/analyze';
import { TrainOptionsError } from '../../../src/trainer/options';
import { sweepGrid } from '../../../src/trainer/sweep/grid';
import { SlurmError, shellQuote, slurmScript } from '../../../src/trainer/sweep/slurm';
import { ROOT, tempDir } from './helpers';

const node = (args: readonly string[]) => ({
  command: '/usr/bin/node',
  args: ['/opt/cl/dist/cli.js', 'train', ...args],
});

describe('sweep grid', () => {
  it('is the product of the lists, the first flag varying slowest, named by what varies', () => {
    const grid = sweepGrid('relu-1d', { gamma: '0.25,1', width: '100', dropout: '0,0.1' }, 2, '/s');
    assert.equal(grid.points.length, 2 * 2 * 2);
    assert.deepEqual(grid.axes, { width: ['100'], gamma: ['0.25', '1'], dropout: ['0', '0.1'], seed: ['0', '1'] });
    assert.deepEqual(
      grid.points.map((p) => p.name),
      [
        'gamma=0.25_dropout=0_seed=0',
        'gamma=0.25_dropout=0_seed=1',
        'gamma=0.25_dropout=0.1_seed=0',
        'gamma=0.25_dropout=0.1_seed=1',
        'gamma=1_dropout=0_seed=0',
        'gamma=1_dropout=0_seed=1',
        'gamma=1_dropout=0.1_seed=0',
        'gamma=1_dropout=0.1_seed=1',
      ],
    );
    const last = grid.points[7].options;
    assert.deepEqual(
      [last.config.width, last.config.gamma, last.config.dropout, last.config.seed, last.out],
      [100, 1, 0.1, 1, '/s/gamma=1_dropout=0.1_seed=1'],
    );
  });

  it('checks every value with the train parser before anything runs', () => {
    assert.throws(
      () => sweepGrid('relu-1d', { gamma: '0.5,oops' }, undefined, '/s'),
      /--gamma expects a number, got 'oops'/,
    );
    assert.throws(() => sweepGrid('relu-1d', { width: '10,' }, undefined, '/s'), TrainOptionsError);
    assert.throws(() => sweepGrid('relu-1d', { seed: '1,2' }, 3, '/s'), /either --seeds K or --seed/);
    assert.throws(() => sweepGrid('nope', {}, undefined, '/s'), /unknown preset 'nope'/);
  });
});

describe('slurm job array script', () => {
  it('one task per point, each exec-ing train with its flags quoted for bash', () => {
    const grid = sweepGrid('relu-1d', { gamma: '0.5,1', out: undefined }, undefined, "/shared/it's here");
    const script = slurmScript("/shared/it's here", grid.points, node, {
      jobName: 'sweep relu',
      time: '1:00:00',
      partition: 'cpu',
      parallel: 4,
    });
    const lines = script.split('\n');
    assert.equal(lines[0], '#!/bin/bash');
    assert.ok(lines.includes('#SBATCH --array=0-1%4'));
    assert.ok(lines.includes('#SBATCH --time=1:00:00'));
    assert.ok(lines.includes('#SBATCH --partition=cpu'));
    assert.ok(lines.includes('#SBATCH --job-name=sweep-relu'));
    const task1 = lines.find((l) => l.trimStart().startsWith('1)'))!;
    assert.ok(task1.includes(`'--gamma' '1'`), task1);
    assert.ok(task1.includes(`'--out' '/shared/it'\\''s here/gamma=1'`), task1);
    // bash itself reads the quoting back to the same words.
    const words = spawnSync('bash', ['-c', `printf '%s\\n' ${shellQuote("a 'b' $c")}`], { encoding: 'utf8' }).stdout;
    assert.equal(words, "a 'b' $c\n");
  });

  it('refuses a time or partition Slurm would not read', () => {
    const grid = sweepGrid('relu-1d', {}, undefined, '/s');
    assert.throws(() => slurmScript('/s', grid.points, node, { jobName: 'x', time: 'soon' }), SlurmError);
    assert.throws(() => slurmScript('/s', grid.points, node, { jobName: 'x', partition: 'a b' }), SlurmError);
  });
});

describe('condensation-lens sweep (built CLI)', function () {
  this.timeout(180_000);
  const cli = join(ROOT, 'dist', 'cli.js');

  it('runs 3 points in parallel into one sweep folder; the engine reads each run back', async () => {
    const out = join(tempDir(), 'sweep');
    const r = spawnSync(
      process.execPath,
      [
        cli,
        'sweep',
        'relu-1d',
        '--gamma',
        '0.25,0.5,1',
        '--width',
        '200',
        '--steps',
        '400',
        '--every',
        '200',
        '--parallel',
        '2',
        '--out',
        out,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /\[#{30}\] 1200\/1200 steps {2}3\/3 runs/);
    const manifest = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    assert.deepEqual(
      manifest.points.map((p: { name: string }) => p.name),
      ['gamma=0.25', 'gamma=0.5', 'gamma=1'],
    );
    assert.deepEqual(readdirSync(out).sort(), [
      'gamma=0.25',
      'gamma=0.5',
      'gamma=1',
      'sweep-points.jsonl',
      'sweep.json',
    ]);
    for (const point of manifest.points) {
      const run = JSON.parse(readFileSync(join(out, point.name, 'run.json'), 'utf8'));
      assert.equal(run.backend, 'fused');
      assert.equal(run.config.gamma, Number(point.values.gamma));
      const report = await analyzeRun(join(out, point.name));
      assert.deepEqual(
        report.checkpoints.map((c) => c.step),
        [0, 200, 400],
      );
      assert.equal(report.checkpoints[2].layers[0].neurons, 200);
    }
  });

  it('--dry-run prints the job array and writes nothing; a usage error exits 2', () => {
    const out = join(tempDir(), 'dry');
    const r = spawnSync(
      process.execPath,
      [cli, 'sweep', 'relu-1d', '--gamma', '0.5,1', '--scheduler', 'slurm', '--dry-run', '--out', out],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /#SBATCH --array=0-1\n/);
    assert.equal(spawnSync('ls', [out]).status, 2, 'the dry run created the sweep folder');
    const bad = spawnSync(process.execPath, [cli, 'sweep', 'relu-1d', '--dry-run'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--dry-run go with --scheduler slurm/);
  });
});

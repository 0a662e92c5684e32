// The Runs tree's sweep groups: sweep.json as `sweep` and `phase` write it, read into a group of labelled runs.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSweepManifest, pointLabel, readSweepGroup } from '../../../src/extension/sweep/sweepFolder';
import { sweepChildren, sweepDescription, topLevelNodes } from '../../../src/extension/views/runsTreeNodes';
import { sweepGrid } from '../../../src/trainer/sweep/grid';
import { sweepManifest, writeSweepManifest } from '../../../src/trainer/sweep/sweepFolder';
import { useTempDir } from '../helpers/tempDir';

describe('sweep groups in the Runs tree', () => {
  const temp = useTempDir('cl-sweep-tree-');

  it('reads the sweep.json the CLI writes: one run per point, labelled by the values that vary', async () => {
    const dir = temp('sweep-relu-1d');
    writeSweepManifest(
      dir,
      sweepManifest(
        sweepGrid('relu-1d', { gamma: '0.5,1', width: '100,200', dropout: '0.1' }, undefined, dir),
        'local',
      ),
    );
    const group = await readSweepGroup(dir);
    assert.ok(group);
    assert.equal(group.preset, 'relu-1d');
    assert.equal(group.phase, false);
    // The dropout does not vary, so it is in no label; the flags come in the order of train's flags.
    assert.deepEqual(
      group.runs.map((r) => [r.folder, r.label]),
      [
        [join(dir, 'width=100_gamma=0.5'), 'width = 100 · γ = 0.5'],
        [join(dir, 'width=100_gamma=1'), 'width = 100 · γ = 1'],
        [join(dir, 'width=200_gamma=0.5'), 'width = 200 · γ = 0.5'],
        [join(dir, 'width=200_gamma=1'), 'width = 200 · γ = 1'],
      ],
    );
  });

  it('labels a phase folder by γ and γ′ and marks it once phase.json is there', async () => {
    const dir = temp('phase-relu-1d');
    const grid = sweepGrid(
      'phase-relu-1d',
      { 'phase-gamma': '0.5,1.75', 'phase-gamma-prime': '0,0.5', width: '250' },
      undefined,
      dir,
    );
    writeSweepManifest(dir, sweepManifest(grid, 'local'));
    assert.equal((await readSweepGroup(dir))?.phase, false);
    writeFileSync(join(dir, 'phase.json'), '{"points":[]}\n');
    const group = await readSweepGroup(dir);
    assert.equal(group?.phase, true);
    assert.deepEqual(
      group?.runs.map((r) => r.label),
      ['γ = 0.5 · γ′ = 0', 'γ = 0.5 · γ′ = 0.5', 'γ = 1.75 · γ′ = 0', 'γ = 1.75 · γ′ = 0.5'],
    );
  });

  it('is no group for a folder without sweep.json, a half-written one, or one whose points leave the folder', async () => {
    assert.equal(await readSweepGroup(temp('no-sweep')), undefined);
    const points = (name: string) => JSON.stringify({ version: 1, preset: 'p', points: [{ name, values: {} }] });
    assert.equal(parseSweepManifest('{"version": 1, "pre', '/s'), undefined);
    assert.equal(parseSweepManifest(points('../elsewhere'), '/s'), undefined);
    assert.equal(parseSweepManifest(points('..'), '/s'), undefined);
    assert.equal(parseSweepManifest(points('a/b'), '/s'), undefined);
    assert.equal(parseSweepManifest(JSON.stringify({ version: 2, preset: 'p', points: [] }), '/s'), undefined);
    assert.deepEqual(parseSweepManifest(points('run'), '/s')?.runs, [
      { folder: join('/s', 'run'), name: 'run', label: 'run' },
    ]);
  });

  it('puts a sweep at the top as a group, its runs under it only, and other runs as they are', () => {
    const root = '/ws/runs';
    const sweep = join(root, 'sweep-a');
    const runs = [join(sweep, 'gamma=0.5'), join(sweep, 'gamma=1')];
    const group = {
      folder: sweep,
      preset: 'relu-1d',
      phase: false,
      runs: runs.map((folder, i) => ({ folder, name: ['gamma=0.5', 'gamma=1'][i], label: ['γ = 0.5', 'γ = 1'][i] })),
    };
    // A run of the sweep that the window watches (it was opened) is listed among the known folders too.
    const nodes = topLevelNodes([runs[1], join(root, 'relu-1d-1'), sweep, join(root, 'sweep-ab')], [group]);
    assert.deepEqual(nodes, [
      { kind: 'run', folder: join(root, 'relu-1d-1') },
      { kind: 'sweep', folder: sweep, preset: 'relu-1d', runs, phase: false },
      { kind: 'run', folder: join(root, 'sweep-ab') },
    ]);
    assert.deepEqual(
      sweepChildren(group, (f) => f === runs[0]),
      [
        { kind: 'run', folder: runs[0], label: 'γ = 0.5', pending: false },
        { kind: 'run', folder: runs[1], label: 'γ = 1', pending: true },
      ],
    );
  });

  it('describes a group by how many of its runs finished, run, failed or stopped', () => {
    assert.equal(sweepDescription('relu-1d', 4, []), 'relu-1d · 0 of 4 finished');
    assert.equal(
      sweepDescription('relu-1d', 4, ['finished', 'running', 'finished', 'failed']),
      'relu-1d · 2 of 4 finished · 1 running · 1 failed',
    );
    assert.equal(pointLabel({ dropout: '0.1', seed: '2', lr: '0.01' }, 'x'), 'dropout = 0.1 · seed = 2 · lr = 0.01');
  });

  it('lists no folder inside a sweep folder at the top level, point or not', () => {
    const dir = temp('sweep-extra');
    mkdirSync(join(dir, 'notes'), { recursive: true });
    const group = { folder: dir, preset: 'p', phase: false, runs: [] };
    assert.deepEqual(topLevelNodes([dir, join(dir, 'notes')], [group]), [
      { kind: 'sweep', folder: dir, preset: 'p', runs: [], phase: false },
    ]);
  });
});

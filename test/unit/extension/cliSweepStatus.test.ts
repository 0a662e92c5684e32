// A sweep folder that the built CLI wrote, with no window driving it: the Runs tree reads each point's status from
// the driver's sweep-points.jsonl (a running point's step from its metrics.jsonl), and a point opened from the tree
// is named by its sweep label.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastMetricsStep } from '../../../src/extension/run/runFiles';
import { parsePointStates, readSweepGroup, sweepPointOf } from '../../../src/extension/sweep/sweepFolder';
import { shownStatus, statusText, sweepChildren, sweepDescription } from '../../../src/extension/views/runsTreeNodes';
import type { RunsTreeNode } from '../../../src/extension/commandArgs';
import { root } from './helpers';
import { useTempDir } from '../helpers/tempDir';

const CLI = join(root, 'dist', 'cli.js');

/** The tree's line for each child of the sweep in `dir`, as a window that knows none of its runs shows it. */
async function treeLines(dir: string): Promise<[string, string | undefined][]> {
  const group = await readSweepGroup(dir);
  assert.ok(group, `${dir} is a sweep`);
  const nodes = sweepChildren(group, () => true) as Extract<RunsTreeNode, { kind: 'run' }>[];
  return Promise.all(
    nodes.map(async (n) => {
      const point = n.point?.status === 'running' ? { ...n.point, step: await lastMetricsStep(n.folder) } : n.point;
      const shown = shownStatus(undefined, point);
      return [n.label!, shown && statusText(shown)] as [string, string | undefined];
    }),
  );
}

/** The last `step` of a run's metrics.jsonl, read whole. */
function lastStepInFile(folder: string): number {
  const lines = readFileSync(join(folder, 'metrics.jsonl'), 'utf8').trim().split('\n');
  return (JSON.parse(lines.at(-1)!) as { step: number }).step;
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a sweep folder written by the CLI, in the Runs tree (real CLI)', function () {
  this.timeout(120_000);
  const temp = useTempDir('cl-cli-sweep-');

  it('shows each point finished or failed, at the step it reached, labelled by what varies', async () => {
    const dir = temp('sweep');
    // A folder that already holds checkpoints is refused by the trainer: that point fails.
    mkdirSync(join(dir, 'gamma=1', 'checkpoints'), { recursive: true });
    writeFileSync(join(dir, 'gamma=1', 'checkpoints', 'step-000000.safetensors'), 'not ours');
    const cli = spawnSync(
      process.execPath,
      [CLI, 'sweep', 'relu-1d', '--gamma', '0.5,1', '--width', '8', '--steps', '40', '--every', '20', '--out', dir],
      { encoding: 'utf8' },
    );
    assert.equal(cli.status, 1, cli.stderr);
    // What the trainer wrote of the point that finished: checkpoints at 0, 20 and 40.
    assert.deepEqual(readdirSync(join(dir, 'gamma=0.5', 'checkpoints')).sort(), [
      'step-000000.safetensors',
      'step-000020.safetensors',
      'step-000040.safetensors',
    ]);
    assert.deepEqual(await treeLines(dir), [
      ['γ = 0.5', 'finished · step 40'],
      ['γ = 1', 'failed · step 0'],
    ]);
    const group = (await readSweepGroup(dir))!;
    assert.match(group.runs[1].state?.message ?? '', /gamma=1.checkpoints: already holds checkpoints of another run/);
    assert.equal(
      sweepDescription(
        group.preset,
        group.runs.length,
        group.runs.map((r) => r.state!.status),
      ),
      'relu-1d · 1 of 2 finished · 1 failed',
    );
    // Opened from the tree (or Compare), a point is named as the tree labels it.
    assert.deepEqual(await sweepPointOf(join(dir, 'gamma=0.5')), {
      ...group.runs[0],
      preset: 'relu-1d',
    });
    assert.equal((await sweepPointOf(join(dir, 'gamma=1')))?.label, 'γ = 1');
    assert.equal(await sweepPointOf(dir), undefined, 'the sweep folder is no point of a sweep');
  });

  it('follows a sweep while the CLI trains it: running at the step metrics.jsonl reached, then its end', async () => {
    const dir = temp('live');
    const args = ['sweep', 'relu-1d', '--gamma', '0.5,1', '--width', '8', '--parallel', '1'];
    const cli = spawn(process.execPath, [CLI, ...args, '--steps', '100000000', '--every', '2000', '--out', dir], {
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((done) => cli.on('exit', (code) => done(code)));
    try {
      const first = join(dir, 'gamma=0.5');
      await until(async () => ((await lastMetricsStep(first)) ?? 0) >= 2000, 'the first point to pass step 2000');
      const lines = await treeLines(dir);
      assert.equal(lines[0][0], 'γ = 0.5');
      const running = /^running · step (\d+)$/.exec(lines[0][1] ?? '');
      assert.ok(running, `the first point runs: ${JSON.stringify(lines)}`);
      assert.deepEqual(lines[1], ['γ = 1', undefined], 'the second point has not started (parallel 1)');
      // Later reads see it further on.
      await until(async () => ((await lastMetricsStep(first)) ?? 0) > Number(running[1]), 'metrics.jsonl to grow');
      const later = /^running · step (\d+)$/.exec((await treeLines(dir))[0][1] ?? '');
      assert.ok(later && Number(later[1]) > Number(running[1]), `${running[1]} then ${later?.[1]}`);
    } finally {
      cli.kill('SIGTERM');
    }
    await exited;
    // Stopped, the trainer ends cleanly at the step it reached; the second point never started.
    const step = lastStepInFile(join(dir, 'gamma=0.5'));
    assert.deepEqual(await treeLines(dir), [
      ['γ = 0.5', `finished · step ${step}`],
      ['γ = 1', undefined],
    ]);
  });

  it('reads the last line about each point, and leaves a line being written for later', () => {
    const text =
      '{"type":"sweep-point","name":"a","state":"started"}\n' +
      '{"type":"sweep-point","name":"b","state":"started"}\n' +
      'not json\n' +
      '{"type":"sweep-point","name":"a","state":"failed","step":3,"message":"out of memory"}\n' +
      '{"type":"sweep-point","name":"b","state":"fini';
    assert.deepEqual(
      [...parsePointStates(text)],
      [
        ['a', { status: 'failed', step: 3, message: 'out of memory' }],
        ['b', { status: 'running', step: undefined, message: undefined }],
      ],
    );
  });

  it("prefers the window's own status of a run, and a sweep's over a run it only watches", () => {
    const point = { status: 'finished', step: 40 } as const;
    // A sweep this window drives, or a process it follows, says it all.
    assert.deepEqual(shownStatus({ status: 'stopped', step: 12 }, point), { status: 'stopped', step: 12 });
    // A run opened from the tree is watched: what the driver said holds, at the furthest step known.
    assert.deepEqual(shownStatus({ status: 'watching', step: 20 }, point), { status: 'finished', step: 40 });
    assert.deepEqual(shownStatus({ status: 'watching', step: 60 }, { status: 'running' }), {
      status: 'running',
      step: 60,
    });
    assert.deepEqual(shownStatus({ status: 'watching' }, undefined), { status: 'watching' });
    assert.equal(shownStatus(undefined, undefined), undefined);
    assert.equal(statusText({ status: 'running' }), 'running');
  });
});

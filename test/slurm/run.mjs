// `npm run test:slurm`: a sweep submitted with --scheduler slurm to a real single-node Slurm, its 3 array tasks
// trained by the cluster into the sweep folder, and read back by the engine (`analyze --json`).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../ensureBuilt.mjs';
import { clusterMissing, startCluster } from './cluster.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(repo, 'dist', 'cli.js');
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function main() {
  const missing = clusterMissing();
  if (missing) {
    if (process.env.CONDENSATION_SLURM === 'skip') {
      console.log(`slurm: SKIPPED on request (CONDENSATION_SLURM=skip): ${missing}`);
      return 0;
    }
    console.error(`slurm: cannot start a test cluster: ${missing} (or set CONDENSATION_SLURM=skip to skip it)`);
    return 1;
  }
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'cl-slurm-'));
  const cluster = await startCluster(join(dir, 'cluster'));
  try {
    const out = join(dir, 'sweep');
    const args = ['sweep', 'relu-1d', '--gamma', '0.25,0.5,1', '--width', '100', '--steps', '200', '--every', '100'];
    const submit = spawnSync(process.execPath, [cli, ...args, '--scheduler', 'slurm', '--time', '5', '--out', out], {
      encoding: 'utf8',
      env: cluster.env,
    });
    assert.equal(submit.status, 0, submit.stderr);
    const manifest = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    assert.match(manifest.jobId, /^\d+$/);
    console.log(`slurm: submitted job array ${manifest.jobId} with ${manifest.points.length} tasks`);
    for (let i = 0; i < 240; i++) {
      const queued = execFileSync('squeue', ['-h', '-j', manifest.jobId], { encoding: 'utf8', env: cluster.env });
      if (!queued.trim()) break;
      await sleep(500);
    }
    for (const [k, point] of manifest.points.entries()) {
      const log = join(out, `slurm-${manifest.jobId}_${k}.out`);
      assert.ok(existsSync(log), `${log}: the task wrote no log`);
      const report = spawnSync(process.execPath, [cli, 'analyze', join(out, point.name), '--json'], {
        encoding: 'utf8',
      });
      assert.equal(report.status, 0, `${point.name}: ${report.stderr}\n${readFileSync(log, 'utf8')}`);
      const { checkpoints } = JSON.parse(report.stdout);
      assert.deepEqual(
        checkpoints.map((c) => c.step),
        [0, 100, 200],
        point.name,
      );
      assert.equal(checkpoints[2].layers[0].neurons, 100);
      console.log(`slurm: task ${k} trained ${point.name}: ${checkpoints.length} checkpoints, read back`);
    }
    console.log('slurm: 1 passed, 0 failed');
    return 0;
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(`slurm: FAIL ${e.stack ?? e}`);
    process.exitCode = 1;
  },
);

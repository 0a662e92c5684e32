// Wall time of `condensation-lens phase` for 3 γ × 4 widths (1000 to 8000) at 10 000 steps: the JMLR Fig 3 sweep.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const GOAL_SECONDS = 120;
const ARGS = ['--phase-gamma', '0.5,1,1.75', '--widths', '1000,2000,4000,8000', '--steps', '10000', '--lr', '0.01'];

export async function benchPhase(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cl-bench-phase-'));
  try {
    const cli = join(__dirname, 'cli.js');
    const start = performance.now();
    const run = spawnSync(process.execPath, [cli, 'phase', 'phase-relu-1d', ...ARGS, '--out', join(dir, 'phase')], {
      encoding: 'utf8',
    });
    const seconds = (performance.now() - start) / 1000;
    if (run.status !== 0) throw new Error(`phase failed: ${run.stderr.trim().split('\n').pop()}`);
    console.log(
      `phase 3 γ × 4 widths (1000-8000), 10 000 steps, ${availableParallelism()} cores: ${seconds.toFixed(1)} s ` +
        `(goal ≤ ${GOAL_SECONDS} s)\n${run.stdout.trimEnd()}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

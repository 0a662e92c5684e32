// The CLI's start-up on a tiny checkpoint, next to Node's own (`node -e 0`) measured in the same run: the CLI loads
// TF.js only for layers that need it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSafetensors } from '../src/core/formats/safetensorsWriter';
import { condensedLayerOf } from './engine';

const RUNS = 10;

/** The best wall time of RUNS runs of `node args…`, in milliseconds. */
function best(args: string[]): number {
  let ms = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    execFileSync(process.execPath, args, { stdio: 'ignore' });
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

export function benchStartup(): void {
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    const cli = join(__dirname, 'cli.js');
    const tiny = join(dir, 'tiny.safetensors');
    const large = join(dir, 'large.safetensors');
    writeSafetensors(tiny, [{ name: 'fc1.weight', shape: [16, 4], data: condensedLayerOf(16, 4).weight }]);
    writeSafetensors(large, [{ name: 'fc1.weight', shape: [1024, 256], data: condensedLayerOf(1024, 256).weight }]);
    const node = best(['-e', '0']);
    console.log(`startup: whole processes, best of ${RUNS}, next to \`node -e 0\` (${node.toFixed(0)} ms)`);
    for (const [label, args] of [
      ['load TF.js alone (what a lazy load saves)', ['-e', `require(${JSON.stringify(join(__dirname, 'tfjs.js'))})`]],
      ['condensation-lens --help', [cli, '--help']],
      ['analyze a 16×4 layer (TypeScript kernels, no TF.js)', [cli, 'analyze', tiny]],
      ['analyze a 1024×256 layer (TF.js loaded)', [cli, 'analyze', large]],
    ] as const) {
      const ms = best([...args]);
      console.log(`  ${label.padEnd(52)} ${ms.toFixed(0).padStart(5)} ms   ${(ms / node).toFixed(2)}× node -e 0`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

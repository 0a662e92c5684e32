// The PyTorch baseline of the trainer bench: Debian's python3 with torch, when this machine has it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Pythons to try, Debian's first (the one first on PATH may lack torch). */
const PYTHONS = ['/usr/bin/python3', 'python3'];

/** The first Python that imports torch, or undefined. */
export function pythonWithTorch(): string | undefined {
  for (const python of PYTHONS) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
      return python;
    } catch {
      // not there, or no torch: try the next
    }
  }
  return undefined;
}

/** PyTorch's steps per second on relu-1d (bench/relu1d_torch.py). */
export function pytorchStepsPerSecond(python: string, steps: number): number {
  const script = join(__dirname, '..', 'bench', 'relu1d_torch.py');
  const out = execFileSync(python, [script, String(steps)], { encoding: 'utf8', timeout: 600_000 });
  return Number(/steps\/s ([\d.]+)/.exec(out)![1]);
}

// Shared by the extension tests: the analysis worker bundle, fixtures, waiting for a condition.
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { AnalysisQueue } from '../../../src/extension/analysis/analysisQueue';
import { AnalysisWorker } from '../../../src/extension/analysis/analysisWorker';
import { RunManager } from '../../../src/extension/run/runManager';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../../src/protocol/settings';

export const root = join(__dirname, '..', '..', '..');

/** Builds dist/analysisWorker.js's source for the tests, inside node_modules so that the bundle finds the tfjs-backend-wasm binaries as it does from dist/. */
let built: Promise<string> | undefined;

export function workerBundle(): Promise<string> {
  built ??= (async () => {
    const outfile = join(root, 'node_modules', '.cache', 'condensation-lens-test', 'analysisWorker.js');
    await esbuild.build({
      entryPoints: [join(root, 'src/extension/analysis/worker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
      logLevel: 'warning',
    });
    return outfile;
  })();
  return built;
}

export const fixture = (...parts: string[]) => join(root, 'test', 'fixtures', ...parts);

/** Resolves once `check` holds (mocha's timeout fails the test if it never does). */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

/** True once no process is left in the process group `pid` leads (zombies included). */
export function groupGone(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Mocha hooks: one real analysis worker per test file, a fresh RunManager per test. */
export function realRunManager(
  options: { settings?: () => AnalysisSettings; log?: (line: string) => void } = {},
): () => RunManager {
  let worker: AnalysisWorker;
  let manager: RunManager;
  before(async () => {
    worker = new AnalysisWorker(await workerBundle());
  });
  beforeEach(() => {
    manager = new RunManager({
      queue: new AnalysisQueue(worker.execute),
      settings: options.settings ?? (() => DEFAULT_SETTINGS),
      debounceMs: () => 100,
      pollMs: () => 200,
      log: options.log ?? (() => undefined),
      process: { stopGraceMs: 300 },
    });
  });
  afterEach(() => manager.dispose());
  after(() => worker.dispose());
  return () => manager;
}

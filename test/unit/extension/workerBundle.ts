// Builds the analysis worker bundle for the tests (inside node_modules, so the bundle finds the
// tfjs-backend-wasm binaries as it does from dist/), once per test run.
import * as esbuild from 'esbuild';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
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

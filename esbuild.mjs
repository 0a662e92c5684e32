// One build for every entry: node bundles for the host, CLI, trainer and worker; browser bundles for webviews.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');

/** [entry source, output file, platform, extra externals?]; an entry whose source does not exist yet is skipped. */
const entries = [
  ['src/cli/main.ts', 'dist/cli.js', 'node'],
  ['bench/main.ts', 'dist/bench.js', 'node'],
  ['src/trainer/main.ts', 'dist/trainer.js', 'node'],
  // The fit callback must use the user's own TF.js (its classes are checked with instanceof).
  ['src/trainer/recorder.ts', 'dist/recorder.js', 'node', ['@tensorflow/tfjs']],
  ['src/extension/extension.ts', 'dist/extension.js', 'node'],
  ['src/extension/analysis/worker.ts', 'dist/analysisWorker.js', 'node'],
  ['webview/panel.ts', 'dist/webview/panel.js', 'browser'],
  ['webview/sidebar.ts', 'dist/webview/sidebar.js', 'browser'],
  ['media/panel.css', 'dist/webview/panel.css', 'browser'],
  ['webview/phase.ts', 'dist/webview/phase.js', 'browser'],
  ['media/phase.css', 'dist/webview/phase.css', 'browser'],
];

// Optional native backends and resvg's native binding are looked up at run time, never bundled.
const nodeExternal = ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@resvg/resvg-js'];

function copyWasmBinaries() {
  const from = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  mkdirSync('dist', { recursive: true });
  for (const f of readdirSync(from).filter((n) => n.endsWith('.wasm'))) cpSync(join(from, f), join('dist', f));
}

const options = entries
  .filter(([src]) => existsSync(src))
  .map(([src, outfile, platform, externals = []]) => ({
    entryPoints: [src],
    outfile,
    bundle: true,
    platform,
    format: platform === 'node' ? 'cjs' : 'iife',
    target: platform === 'node' ? 'node20' : 'es2022',
    external: platform === 'node' ? [...nodeExternal, ...externals] : [],
    sourcemap: true,
    minify: platform === 'browser',
    logLevel: 'warning',
  }));

copyWasmBinaries();
if (watch) {
  for (const o of options) await (await esbuild.context(o)).watch();
} else {
  await Promise.all(options.map((o) => esbuild.build(o)));
}

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
  // The second thread of the two-thread kernels, started by the CLI, the analysis worker and the benches.
  ['src/core/kernels/kernelWorker.ts', 'dist/kernelWorker.js', 'node'],
  ['webview/panel.ts', 'dist/webview/panel.js', 'browser'],
  ['webview/sidebar.ts', 'dist/webview/sidebar.js', 'browser'],
  ['media/panel.css', 'dist/webview/panel.css', 'browser'],
  ['webview/phase.ts', 'dist/webview/phase.js', 'browser'],
  ['media/phase.css', 'dist/webview/phase.css', 'browser'],
];

// Optional native backends and resvg's native binding are looked up at run time, never bundled.
const nodeExternal = ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@resvg/resvg-js'];

/**
 * TF.js and its wasm backend live in a bundle of their own, dist/tfjs.js, that the node bundles require the first
 * time they touch one of its exports: a command or an analysis of small layers never loads (or even parses) it.
 */
const LAZY_PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'];

const tfjsEntry = {
  stdin: {
    contents: `module.exports = {${LAZY_PACKAGES.map((p) => `${JSON.stringify(p)}: require(${JSON.stringify(p)})`)}};`,
    resolveDir: dirname(new URL(import.meta.url).pathname),
    loader: 'js',
  },
  outfile: 'dist/tfjs.js',
};

/** Each lazy package as an object of getters over its exports in dist/tfjs.js (their names read now, at build time). */
function lazyTfjs() {
  const names = Object.fromEntries(LAZY_PACKAGES.map((p) => [p, Object.keys(require(p))]));
  return {
    name: 'lazy-tfjs',
    setup(build) {
      build.onResolve({ filter: /^@tensorflow\/tfjs(-backend-wasm)?$/ }, (a) => ({
        path: a.path,
        namespace: 'lazy-tfjs',
      }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-tfjs' }, (a) => ({
        loader: 'js',
        contents: [
          `let loaded;`,
          `const load = () => (loaded ??= require(require('node:path').join(__dirname, 'tfjs.js'))[${JSON.stringify(a.path)}]);`,
          `for (const name of ${JSON.stringify(names[a.path])})`,
          `  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
        ].join('\n'),
      }));
    },
  };
}

function copyWasmBinaries() {
  const from = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  mkdirSync('dist', { recursive: true });
  for (const f of readdirSync(from).filter((n) => n.endsWith('.wasm'))) cpSync(join(from, f), join('dist', f));
}

const common = (platform) => ({
  bundle: true,
  platform,
  format: platform === 'node' ? 'cjs' : 'iife',
  target: platform === 'node' ? 'node20' : 'es2022',
  sourcemap: true,
  minify: platform === 'browser',
  logLevel: 'warning',
});

const lazy = lazyTfjs();
const options = [
  ...entries
    .filter(([src]) => existsSync(src))
    .map(([src, outfile, platform, externals = []]) => ({
      ...common(platform),
      entryPoints: [src],
      outfile,
      external: platform === 'node' ? [...nodeExternal, ...externals] : [],
      // The recorder uses the user's own TF.js, never ours.
      plugins: platform === 'node' && externals.length === 0 ? [lazy] : [],
    })),
  { ...common('node'), ...tfjsEntry, external: nodeExternal },
];

copyWasmBinaries();
if (watch) {
  for (const o of options) await (await esbuild.context(o)).watch();
} else {
  await Promise.all(options.map((o) => esbuild.build(o)));
}

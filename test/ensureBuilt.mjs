// Builds dist/ only when a source is newer than the build, so that `npm test` builds once (in pretest)
// and `npm run test:browser` or `npm run test:e2e` on their own still test what the sources say.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['src', 'webview', 'media', 'bench', 'esbuild.mjs', 'package.json'];
const OUTPUTS = ['dist/extension.js', 'dist/cli.js', 'dist/webview/panel.js'];

function newestMtime(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** True when every output exists and is newer than every source. */
export function isBuildFresh() {
  const outputs = OUTPUTS.map((p) => join(repo, p));
  if (!outputs.every((p) => existsSync(p))) return false;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  return SOURCES.every((p) => !existsSync(join(repo, p)) || newestMtime(join(repo, p)) <= built);
}

export function ensureBuilt() {
  if (isBuildFresh()) return false;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: repo, stdio: 'inherit' });
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureBuilt();

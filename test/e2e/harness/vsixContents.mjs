// What a packaged .vsix holds: its entry names from the zip's central directory, and what must not be there.
import { readFileSync } from 'node:fs';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

/** The entry names of a zip file (the central directory; no zip64: a .vsix is far below 4 GB). */
export function zipEntryNames(path) {
  const buf = readFileSync(path);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${path}: not a zip file (no end-of-central-directory record)`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let k = 0; k < count; k++) {
    if (buf.readUInt32LE(at) !== CENTRAL) throw new Error(`${path}: central directory entry ${k} is damaged`);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** Entries that must never ship: source maps, tests, sources. */
const FORBIDDEN = [/\.map$/, /^extension\/test\//, /^extension\/src\//, /^extension\/webview\//, /\.ts$/];

/** Entries that must ship: the host, the worker, the trainer, the webview bundles, the license. */
export const REQUIRED = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/analysisWorker.js',
  'extension/dist/trainer.js',
  'extension/dist/cli.js',
  'extension/dist/tfjs.js',
  'extension/dist/kernelWorker.js',
  'extension/dist/webview/panel.js',
  'extension/dist/webview/phase.js',
  'extension/dist/webview/phase.css',
  'extension/dist/webview/sidebar.js',
  'extension/dist/webview/panel.css',
  'extension/docs/formats.md',
];

/** Problems with a .vsix's contents, one line each; empty when it is right. */
export function vsixProblems(names) {
  const problems = names.filter((n) => FORBIDDEN.some((r) => r.test(n))).map((n) => `ships ${n}`);
  for (const n of REQUIRED) if (!names.includes(n)) problems.push(`lacks ${n}`);
  return problems;
}

// What the CodeLens specs read: the layer lenses of a file as VS Code's own command returns them,
// and the fixture workspace of test/e2e/fixtures/codeLensWorkspace.ts (TypeScript, loaded through tsx).
const vscode = require('vscode');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const h = require('./helpers');
const ext = require('./extensionApi');

const fixture = require('tsx/cjs/api').require('../fixtures/codeLensWorkspace.ts', __filename);
const OPEN_LAYER = 'condensationLens.openLayer';
const LAYERS = ['fc1', 'blocks.0', 'blocks.1', 'blocks.2', 'fc2'];

/** 0-based line of the first line of `file` that contains `text`. */
function lineOf(file, text) {
  const line = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `${text} is not in ${file}`);
  return line;
}

/** The layer lenses of `file`, as [line, title] by line; with `raw`, the CodeLens objects. */
async function lenses(file, raw = false) {
  // The command answers for documents the workbench has loaded only.
  const document = await vscode.workspace.openTextDocument(file);
  const all = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', document.uri);
  const ours = (all || []).filter((l) => l.command?.command === OPEN_LAYER);
  return raw ? ours : ours.map((l) => [l.range.start.line, l.command.title]).sort((a, b) => a[0] - b[0]);
}

/** Opens the run folder and waits until each layer has `points` analysed checkpoints. */
async function openAnalysed(api, runDir, points, timeoutMs) {
  await vscode.commands.executeCommand('condensationLens.openRunFolder', runDir);
  await h.waitFor(
    `${points} checkpoints analysed in every layer`,
    () => LAYERS.every((l) => ext.runSnapshot(api, runDir)?.series[l] === points),
    timeoutMs,
    () => JSON.stringify(ext.runSnapshot(api, runDir)),
  );
}

/** Waits until `file` shows `title` as a lens on the line that holds `text`. */
async function waitForLens(file, text, title, timeoutMs) {
  const line = lineOf(file, text);
  await h.waitFor(
    `the lens "${title}" above "${text}"`,
    async () => (await lenses(file)).some(([l, t]) => l === line && t === title),
    timeoutMs,
  );
}

module.exports = { fixture, lineOf, lenses, openAnalysed, waitForLens };

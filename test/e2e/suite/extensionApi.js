// What the specs read through the API object the extension's activate() returns (src/extension/api.ts:
// `runs()` gives a snapshot per run, `runsView` the run folders the Runs view lists and its redraws). Everything else they check from outside: files, processes, tabs, messages.
const vscode = require('vscode');
const { EXTENSION_ID } = require('./helpers');

/** Activates the extension and returns its API object. */
async function activate() {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in the extension host`);
  const api = await ext.activate();
  if (!api || typeof api.runs !== 'function')
    throw new Error(`${EXTENSION_ID}: activate() returned no API with runs()`);
  return api;
}

/** The snapshot of the run whose folder (or lone checkpoint file) is `id`, or undefined. */
function runSnapshot(api, id) {
  return api.runs().find((r) => r.id === id);
}

module.exports = { activate, runSnapshot };

// What the specs read through the API object the extension's activate() returns (issue 4's test hooks).
// Everything else the specs check from outside: files, processes, tabs, shown messages.
const vscode = require('vscode');
const { EXTENSION_ID } = require('./helpers');

/** Activates the extension and returns its API object. */
async function activate() {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in the extension host`);
  const api = await ext.activate();
  if (!api) throw new Error(`${EXTENSION_ID}: activate() returned no API object`);
  return api;
}

/** The status of the run writing `folder` (running, finished, failed, stopped, watching), or undefined. */
function runStatus(api, folder) {
  const run = api.runs().find((r) => r.folder === folder);
  return run && run.status;
}

/** The per-layer series the run's panel has been sent, as { layer: LayerPoint[] }. */
function panelSeries(api, folder) {
  return api.panelSeries(folder) || {};
}

/** The summary of `layer` in the analysis of a lone checkpoint opened in the inspector, or undefined. */
function checkpointLayer(api, file, layer) {
  const series = api.panelSeries(file) || {};
  const points = series[layer] || [];
  return points[points.length - 1];
}

module.exports = { activate, runStatus, panelSeries, checkpointLayer };

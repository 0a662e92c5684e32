// Two runs training at once: Stop Training Run asks which one (a QuickPick of the live runs), stops that one
// only, and the run list the API gives has both while they train.
const vscode = require('vscode');
const assert = require('node:assert/strict');
const h = require('../helpers');
const ext = require('../extensionApi');

/** Far too long to end during the test: only Stop ends it. */
const LONG = { preset: 'relu-1d', overrides: { width: 8, steps: 10000000, every: 5000 } };
const WAIT_MS = 60000;

/** Answers the next QuickPick with `choose(items)`, recording what it offered. */
async function answeringQuickPick(choose, fn) {
  const saved = vscode.window.showQuickPick;
  const offered = [];
  vscode.window.showQuickPick = async (items) => {
    const list = await items;
    offered.push(list);
    return choose(list);
  };
  try {
    return { result: await fn(), offered };
  } finally {
    vscode.window.showQuickPick = saved;
  }
}

describe('two live runs', () => {
  let api;
  before(async () => {
    api = await ext.activate();
  });

  it('Stop Training Run asks which run, and stops only the one chosen', async () => {
    const first = await vscode.commands.executeCommand('condensationLens.startTraining', LONG);
    const second = await vscode.commands.executeCommand('condensationLens.startTraining', LONG);
    await h.waitFor(
      'both runs training',
      () => [first, second].every((id) => ext.runSnapshot(api, id)?.running && ext.runSnapshot(api, id)?.step),
      WAIT_MS,
      () => JSON.stringify(api.runs()),
    );
    const { result, offered } = await answeringQuickPick(
      (items) => items.find((i) => i.detail === second),
      () => vscode.commands.executeCommand('condensationLens.stopTraining'),
    );
    assert.equal(offered.length, 1, 'one question asked');
    assert.deepEqual(offered[0].map((i) => i.detail).sort(), [first, second].sort(), 'both live runs offered');
    assert.equal(result, second);
    await h.waitFor('the chosen run to stop', () => ext.runSnapshot(api, second)?.status === 'stopped', WAIT_MS);
    assert.equal(ext.runSnapshot(api, first).running, true, 'the other run trains on');
    // With one live run left, Stop needs no question.
    const { result: last, offered: none } = await answeringQuickPick(
      () => undefined,
      () => vscode.commands.executeCommand('condensationLens.stopTraining'),
    );
    assert.equal(last, first);
    assert.equal(none.length, 0);
    await h.waitFor('the other run to stop', () => ext.runSnapshot(api, first)?.status === 'stopped', WAIT_MS);
  });
});

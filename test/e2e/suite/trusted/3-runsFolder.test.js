// The Runs view and Start Training Run follow a change of condensationLens.runsFolder: the view lists the
// new folder's runs, redraws when a run appears there, and new runs are created in it.
const vscode = require('vscode');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../helpers');
const ext = require('../extensionApi');

const OTHER = 'other-runs';
const WAIT_MS = 15000;
const TRAIN_MS = 90000;
const TINY = { preset: 'relu-1d', overrides: { width: 8, steps: 20, every: 10 } };

describe('Runs view after condensationLens.runsFolder changes', () => {
  let api;
  let other;
  let changes = 0;
  let subscription;

  before(async () => {
    api = await ext.activate();
    other = path.join(h.workspaceRoot(), OTHER);
    fs.mkdirSync(path.join(other, 'copied-run'), { recursive: true });
    subscription = api.runsView.onDidChange(() => changes++);
  });

  after(async () => {
    subscription?.dispose();
    await vscode.workspace
      .getConfiguration('condensationLens')
      .update('runsFolder', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('lists the run folders of the new runs folder once the setting changes', async () => {
    assert.ok(
      !(await api.runsView.folders()).includes(path.join(other, 'copied-run')),
      'listed before the setting names its folder',
    );
    changes = 0;
    await vscode.workspace
      .getConfiguration('condensationLens')
      .update('runsFolder', OTHER, vscode.ConfigurationTarget.Workspace);
    await h.waitFor('the Runs view to redraw', () => changes > 0, WAIT_MS);
    assert.ok((await api.runsView.folders()).includes(path.join(other, 'copied-run')));
  });

  it('redraws when a run folder appears in the new runs folder (its watcher moved with the setting)', async () => {
    // The redraw the setting change caused has happened (previous test); anything counted now comes from the folder.
    changes = 0;
    fs.mkdirSync(path.join(other, 'new-run'));
    await h.waitFor('a redraw after new-run appeared', () => changes > 0, WAIT_MS);
    assert.ok((await api.runsView.folders()).includes(path.join(other, 'new-run')));
  });

  it('starts new runs in the new runs folder', async () => {
    const id = await vscode.commands.executeCommand('condensationLens.startTraining', TINY);
    assert.equal(path.dirname(id), other, `the run folder ${id} is not in ${other}`);
    await h.waitFor(
      'the run to finish',
      () => ext.runSnapshot(api, id)?.status === 'finished',
      TRAIN_MS,
      () => JSON.stringify(ext.runSnapshot(api, id)),
    );
    assert.ok((await api.runsView.folders()).includes(id));
  });
});

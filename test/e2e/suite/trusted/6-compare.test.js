// Compare Runs: two tiny runs that differ in γ, compared from a multi-selection in the Runs tree (VS Code passes the
// clicked node and the selection) and from the palette's multi-select pick; one panel shows both, labelled by γ.
const vscode = require('vscode');
const assert = require('node:assert/strict');
const h = require('../helpers');
const ext = require('../extensionApi');

const TINY = { width: 8, steps: 40, every: 10 };
const CHECKPOINTS = 5;
const WAIT_MS = 90000;

describe('Compare Runs', () => {
  let api;
  let runs;

  before(async () => {
    api = await ext.activate();
    const first = await vscode.commands.executeCommand('condensationLens.startTraining', {
      preset: 'relu-1d',
      overrides: { ...TINY, gamma: 0.5 },
    });
    const second = await vscode.commands.executeCommand('condensationLens.startTraining', {
      preset: 'relu-1d',
      overrides: { ...TINY, gamma: 4 },
    });
    runs = [first, second];
    await h.waitFor(
      'both runs finished and analysed',
      () =>
        runs.every((id) => {
          const r = ext.runSnapshot(api, id);
          return r?.status === 'finished' && r.checkpoints === CHECKPOINTS;
        }),
      WAIT_MS,
      () => JSON.stringify(api.runs()),
    );
  });

  it('Compare on two runs shows two labelled series', async () => {
    const nodes = runs.map((folder) => ({ kind: 'run', folder }));
    const ids = await vscode.commands.executeCommand('condensationLens.compareRuns', nodes[1], nodes);
    assert.deepEqual(ids, runs);
    const panel = await h.waitFor(
      'the Compare panel to receive every point of both runs',
      () => {
        const p = api.compares().find((c) => c.runs.map((r) => r.id).join() === runs.join());
        return p?.ready && p.runs.every((r) => r.delivered.fc1 === CHECKPOINTS) && p;
      },
      WAIT_MS,
      () => JSON.stringify(api.compares()),
    );
    assert.deepEqual(
      panel.runs.map((r) => r.label),
      ['γ = 0.5', 'γ = 4'],
      'labelled by what differs in run.json, not by folder name',
    );
    assert.deepEqual(
      panel.runs.map((r) => r.delivered),
      [{ fc1: CHECKPOINTS }, { fc1: CHECKPOINTS }],
    );
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    assert.ok(
      tabs.includes('Condensation: compare γ = 0.5 · γ = 4'),
      `a panel titled by the labels among ${JSON.stringify(tabs)}`,
    );
  });

  it('from the palette, asks which runs with a multi-select pick and opens the same panel', async () => {
    const saved = vscode.window.showQuickPick;
    const asked = [];
    vscode.window.showQuickPick = async (items, options) => {
      const list = await items;
      asked.push({ list, options });
      return list.filter((i) => runs.includes(i.detail));
    };
    try {
      const ids = await vscode.commands.executeCommand('condensationLens.compareRuns');
      assert.deepEqual(ids, runs);
    } finally {
      vscode.window.showQuickPick = saved;
    }
    assert.equal(asked.length, 1);
    assert.equal(asked[0].options.canPickMany, true);
    for (const id of runs)
      assert.ok(
        asked[0].list.some((i) => i.detail === id),
        `${id} offered`,
      );
    assert.equal(
      api.compares().filter((c) => c.runs.map((r) => r.id).join() === runs.join()).length,
      1,
      'the open panel is reused',
    );
  });
});

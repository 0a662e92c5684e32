// Start Sweep from the palette's command with a tiny grid: the Runs view shows one group with a run per γ,
// labelled by its γ, both runs finish with their checkpoints analysed, and Compare on the group opens over them; Stop
// Sweep ends every run of a sweep.
const vscode = require('vscode');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../helpers');
const ext = require('../extensionApi');

const WAIT_MS = 90000;
const GRID = { preset: 'relu-1d', gamma: '0.5,1', width: '8', parallel: 2 };

/** The Runs view's group for the sweep folder `folder`, once it lists `count` runs. */
async function groupOf(api, folder, count) {
  return h.waitFor(
    `the Runs view to show ${folder} as a group of ${count} runs`,
    async () => (await api.runsView.sweeps()).find((g) => g.folder === folder && g.runs.length === count),
    WAIT_MS,
  );
}

describe('sweeps', () => {
  let api;
  before(async () => {
    api = await ext.activate();
  });

  it('Start Sweep trains a run per γ, shown as one group whose runs finish', async () => {
    const folder = await vscode.commands.executeCommand('condensationLens.startSweep', {
      ...GRID,
      steps: 40,
      every: 20,
    });
    assert.equal(typeof folder, 'string', 'the command returns the sweep folder');
    assert.equal(path.dirname(folder), h.runsFolder(), 'the sweep folder is in the runs folder');
    const group = await groupOf(api, folder, 2);
    assert.deepEqual(
      group.runs.map((r) => [path.basename(r.folder), r.label]),
      [
        ['gamma=0.5', 'γ = 0.5'],
        ['gamma=1', 'γ = 1'],
      ],
    );
    const runs = group.runs.map((r) => r.folder);
    await h.waitFor(
      'both runs to finish with 3 checkpoints analysed',
      () =>
        runs.every(
          (id) => ext.runSnapshot(api, id)?.status === 'finished' && ext.runSnapshot(api, id).checkpoints === 3,
        ),
      WAIT_MS,
      () => JSON.stringify(api.runs().filter((r) => runs.includes(r.id))),
    );
    // The trainer wrote what the runs show: steps 0, 20 and 40 of each.
    for (const run of runs)
      assert.deepEqual(
        h.checkpointFiles(run).map((f) => f.step),
        [0, 20, 40],
      );
    assert.deepEqual(
      runs.map((id) => ext.runSnapshot(api, id).name),
      ['γ = 0.5', 'γ = 1'],
    );
    await h.waitFor(
      'the sweep to end',
      () => api.sweeps().find((s) => s.folder === folder)?.end === 'finished',
      WAIT_MS,
    );
    // Its runs are under the group only, not repeated at the top of the Runs view.
    const top = await api.runsView.folders();
    assert.ok(!top.some((f) => f.startsWith(folder)), top.join('\n'));
    assert.deepEqual(h.processesMentioning(folder), [], 'no process of the sweep is left');
    // Compare on the group's node (its context action) opens one panel over its runs, labelled by γ.
    const node = { kind: 'sweep', folder, preset: 'relu-1d', runs, phase: false };
    assert.deepEqual(await vscode.commands.executeCommand('condensationLens.compareRuns', node, [node]), runs);
    const panel = await h.waitFor(
      'the Compare panel over the sweep to receive its three checkpoints per run',
      () => {
        const p = api.compares().find((c) => c.runs.map((r) => r.id).join() === runs.join());
        return p?.ready && p.runs.every((r) => r.delivered.fc1 === 3) && p;
      },
      WAIT_MS,
      () => JSON.stringify(api.compares()),
    );
    assert.deepEqual(
      panel.runs.map((r) => r.label),
      ['γ = 0.5', 'γ = 1'],
    );
  });

  it('Stop Sweep on a group stops all of its runs and the driver', async () => {
    const folder = await vscode.commands.executeCommand('condensationLens.startSweep', {
      ...GRID,
      steps: 10000000,
      every: 5000000,
    });
    const group = await groupOf(api, folder, 2);
    const runs = group.runs.map((r) => r.folder);
    await h.waitFor(
      'both runs to train',
      () =>
        runs.every((id) => ext.runSnapshot(api, id)?.status === 'running') && h.processesMentioning(folder).length >= 3,
      WAIT_MS,
      () => JSON.stringify(api.runs().filter((r) => runs.includes(r.id))),
    );
    // As the Runs view's inline action passes it: the group's node.
    const stopped = await vscode.commands.executeCommand('condensationLens.stopSweep', {
      kind: 'sweep',
      folder,
      preset: 'relu-1d',
      runs,
      phase: false,
    });
    assert.equal(stopped, folder);
    await h.waitFor(
      'both runs to say stopped',
      () => runs.every((id) => ext.runSnapshot(api, id)?.status === 'stopped'),
      WAIT_MS,
    );
    await h.waitFor(
      'no process of the sweep to be left',
      () => h.processesMentioning(folder).length === 0,
      WAIT_MS,
      () =>
        h
          .processesMentioning(folder)
          .map((pid) => h.commandLine(pid).join(' '))
          .join('\n'),
    );
    assert.equal(api.sweeps().find((s) => s.folder === folder)?.end, 'stopped');
    const record = JSON.parse(fs.readFileSync(path.join(folder, '.condensation', 'sweep-process.json'), 'utf8'));
    assert.equal(record.exit.stopped, true, 'the record says the sweep was stopped');
  });

  it('Start Phase Diagram runs `phase` as a sweep, shows its group, and opens the diagram when it ends', async () => {
    const folder = await vscode.commands.executeCommand('condensationLens.startPhaseDiagram', {
      preset: 'phase-relu-1d',
      phaseGamma: '0.5,1.75',
      widths: '20,40',
      steps: 50,
      parallel: 2,
    });
    const group = await groupOf(api, folder, 4);
    assert.deepEqual(group.runs.map((r) => r.label).sort(), [
      'width = 20 · γ = 0.5',
      'width = 20 · γ = 1.75',
      'width = 40 · γ = 0.5',
      'width = 40 · γ = 1.75',
    ]);
    await h.waitFor('the Phase Diagram to open', () => api.phaseDiagramOpen(folder), WAIT_MS);
    const phase = JSON.parse(fs.readFileSync(path.join(folder, 'phase.json'), 'utf8'));
    assert.deepEqual(
      phase.points.map((p) => [p.gamma, p.gammaPrime, p.widths]),
      [
        [0.5, 0, [20, 40]],
        [1.75, 0, [20, 40]],
      ],
    );
    // The workbench's tab list follows the new panel a moment later.
    await h.waitFor(
      'the Phase Diagram tab',
      () => h.openTabs().some((t) => t.label === `Phase Diagram: ${path.basename(folder)}`),
      WAIT_MS,
      () => JSON.stringify(h.openTabs()),
    );
  });
});

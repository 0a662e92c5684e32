// In an untrusted workspace (restricted mode) the extension refuses to start training, with an
// explanation, and spawns nothing; viewing a checkpoint still works.
const vscode = require('vscode');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../helpers');
const ext = require('../extensionApi');
const { HANDMADE_FILE, HANDMADE_EXPECTED } = require('../handmadeCheckpoint');

/** Time a refused start is given to (wrongly) spawn a process or create a folder. */
const SETTLE_MS = 3000;
const OPEN_MS = 30000;

describe('untrusted workspace', () => {
  let api;
  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this session is started without --disable-workspace-trust');
    api = await ext.activate();
  });

  it('refuses Start Training Run with an explanation, creating no run folder and spawning no process', async () => {
    const before = h.listRunFolders();
    const { result, error, shown } = await h.captureMessages(() =>
      vscode.commands.executeCommand('condensationLens.startTraining', {
        preset: 'relu-1d',
        overrides: { width: 8, steps: 40, every: 10 },
      }),
    );
    assert.equal(error, undefined);
    assert.equal(result, undefined, 'the command says it started a run');
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    assert.deepEqual(h.listRunFolders(), before, 'a run folder was created');
    assert.deepEqual(h.trainerProcesses(), [], 'a trainer process was spawned');
    assert.deepEqual(
      h.descendantPids().filter((pid) => h.commandLine(pid).some((a) => a.includes(h.workspaceRoot()))),
      [],
      'a process was started on the workspace',
    );
    assert.ok(
      shown.some((m) => /trust/i.test(m.message)),
      `no message explains the refusal: ${JSON.stringify(shown)}`,
    );
  });

  for (const [command, args] of [
    ['condensationLens.startSweep', { preset: 'relu-1d', gamma: '0.5,1', width: '8', steps: 40 }],
    ['condensationLens.startPhaseDiagram', { preset: 'phase-relu-1d', widths: '20,40', steps: 40 }],
  ])
    it(`refuses ${command} with an explanation, creating no sweep folder and spawning no process`, async () => {
      const before = h.listRunFolders();
      const { result, error, shown } = await h.captureMessages(() => vscode.commands.executeCommand(command, args));
      assert.equal(error, undefined);
      assert.equal(result, undefined, 'the command says it started a sweep');
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      assert.deepEqual(h.listRunFolders(), before, 'a sweep folder was created');
      assert.deepEqual(
        h.descendantPids().filter((pid) => h.commandLine(pid).some((a) => a.includes(h.workspaceRoot()))),
        [],
        'a process was started on the workspace',
      );
      assert.ok(
        shown.some((m) => /trust/i.test(m.message)),
        `no message explains the refusal: ${JSON.stringify(shown)}`,
      );
    });

  it('still opens a checkpoint written by PyTorch in the inspector and analyses it', async () => {
    const file = path.join(h.workspaceRoot(), HANDMADE_FILE);
    assert.ok(fs.existsSync(file), `${file} was not prepared by run.mjs`);
    await vscode.commands.executeCommand('condensationLens.openCheckpoint', vscode.Uri.file(file));
    await h.waitFor(
      `a tab showing ${path.basename(file)}`,
      () => h.openTabs().some((t) => t.uri === file || t.label.includes(path.basename(file))),
      OPEN_MS,
    );
    // Its figures are checked against the hand computation in the Layers table by the UI part of this session.
    const run = await h.waitFor(
      `the analysis of ${HANDMADE_FILE}`,
      () => {
        const r = ext.runSnapshot(api, file);
        return r && r.checkpoints + r.problems.length >= 1 && r;
      },
      OPEN_MS,
      () => JSON.stringify(api.runs()),
    );
    assert.deepEqual(run.problems, [], 'the checkpoint could not be read');
    assert.deepEqual(run.series, { [HANDMADE_EXPECTED.layer]: 1 }, 'fc1 analysed, fc2 (one neuron) skipped');
    assert.equal(run.running, false);
  });

  it('keeps one run for the editors of a checkpoint, closed with the last of them', async () => {
    const file = path.join(h.workspaceRoot(), HANDMADE_FILE);
    const uri = vscode.Uri.file(file);
    const editorTabs = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.fsPath === file);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'condensationLens.checkpoint', vscode.ViewColumn.One);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'condensationLens.checkpoint', vscode.ViewColumn.Two);
    await h.waitFor('editors of the checkpoint in two groups', () => editorTabs().length >= 2, OPEN_MS);
    assert.equal(api.runs().filter((r) => r.id === file).length, 1, 'one run for all its editors');
    await vscode.window.tabGroups.close(editorTabs().slice(1));
    assert.ok(ext.runSnapshot(api, file), 'the run was closed while an editor still shows it');
    await vscode.window.tabGroups.close(editorTabs());
    await h.waitFor('the run closed with its last editor', () => !ext.runSnapshot(api, file), OPEN_MS);
  });
});

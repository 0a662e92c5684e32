// CodeLens above each layer's definition (issue 16), in a real extension host: a Python model file
// and a run folder whose safetensors checkpoints (written by the project's writer, cluster counts
// known by construction: test/e2e/fixtures/codeLensWorkspace.ts) name its layers.
const vscode = require('vscode');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../helpers');
const ext = require('../extensionApi');
const { fixture, lineOf, lenses, openAnalysed, waitForLens } = require('../codeLensProbe');

const WAIT_MS = 30000;
const RUN = 'lens-live';

describe('CodeLens above the layer definitions of a model file', () => {
  let api;
  let runDir;
  let model;

  before(async () => {
    api = await ext.activate();
    runDir = fixture.writeLensWorkspace(h.workspaceRoot(), RUN);
    model = path.join(h.workspaceRoot(), fixture.MODEL_FILE);
    await openAnalysed(api, runDir, 2, WAIT_MS);
    await vscode.window.showTextDocument(vscode.Uri.file(model));
  });

  it('puts the lenses on the lines of fc1, the ModuleList and fc2, with the counts the checkpoints hold', async () => {
    const want = [
      [lineOf(model, 'self.fc1 = nn.Linear'), 'fc1 · 3 clusters (6 → 3 → 3) · effective 3.0 · step 20'],
      [lineOf(model, 'self.blocks = nn.ModuleList'), 'blocks.* · clusters 2–4 over 3 blocks · step 20'],
      [lineOf(model, 'self.fc2 = nn.Linear'), 'fc2 · 2 clusters (2 → 2 → 2) · effective 2.0 · step 20'],
    ];
    await h.waitFor('the lenses', async () => JSON.stringify(await lenses(model)) === JSON.stringify(want), WAIT_MS);
  });

  it('opens the inspector on the layer and its latest step when a lens is clicked', async () => {
    const fc2 = (await lenses(model, true)).find((l) => l.command.title.startsWith('fc2 '));
    await vscode.commands.executeCommand(fc2.command.command, ...fc2.command.arguments);
    await h.waitFor(
      'the inspector to show fc2 at step 20',
      () => {
        const panel = ext.runSnapshot(api, runDir)?.panel;
        return panel?.ready && panel.selected?.layer === 'fc2' && panel.selected.step === 20;
      },
      WAIT_MS,
      () => JSON.stringify(ext.runSnapshot(api, runDir)?.panel),
    );
    assert.equal(ext.runSnapshot(api, runDir).current, true);
  });

  it('hovers over fc1 with a sparkline image and the latest figures', async () => {
    const line = lineOf(model, 'self.fc1 = nn.Linear');
    const at = new vscode.Position(line, fs.readFileSync(model, 'utf8').split('\n')[line].indexOf('fc1') + 1);
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', vscode.Uri.file(model), at);
    const text = hovers.flatMap((hv) => hv.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /!\[clusters over steps\]\(data:image\/svg\+xml;base64,/);
    assert.ok(text.includes('| clusters | 3 (first 6, minimum 3) |'), text);
  });

  it('follows a new checkpoint: the count above fc1 changes', async () => {
    fixture.writeLensCheckpoint(runDir, 30, { fc1: 2, blocks: [2, 3, 4], fc2: 2 });
    const fc1 = 'fc1 · 2 clusters (6 → 2 → 2) · effective 2.0 · step 30';
    await waitForLens(model, 'self.fc1 = nn.Linear', fc1, WAIT_MS);
  });

  it('a linked run shows its lenses in the linked file only; Link Model Source… writes run.json', async () => {
    const copy = path.join(h.workspaceRoot(), 'lens_model_copy.py');
    fs.writeFileSync(copy, `# a copy, one line lower\n${fs.readFileSync(model, 'utf8')}`);
    const linked = await vscode.commands.executeCommand('condensationLens.linkModelSource', {
      run: runDir,
      source: copy,
    });
    assert.equal(linked, copy);
    assert.equal(
      JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')).modelSource,
      '../lens_model_copy.py',
    );
    await h.waitFor('lenses in the copy', async () => (await lenses(copy)).length === 3, WAIT_MS);
    assert.equal((await lenses(copy))[0][0], lineOf(copy, 'self.fc1 = nn.Linear'));
    await h.waitFor('no lenses in the unlinked file', async () => (await lenses(model)).length === 0, WAIT_MS);
    await vscode.commands.executeCommand('condensationLens.linkModelSource', { run: runDir, source: model });
    await h.waitFor('lenses back in the model file', async () => (await lenses(model)).length === 3, WAIT_MS);
  });

  it('condensationLens.codeLens.enabled = false removes them', async () => {
    const config = vscode.workspace.getConfiguration('condensationLens');
    await config.update('codeLens.enabled', false, vscode.ConfigurationTarget.Workspace);
    try {
      await h.waitFor('no lenses', async () => (await lenses(model)).length === 0, WAIT_MS);
    } finally {
      await config.update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await h.waitFor('the lenses again', async () => (await lenses(model)).length === 3, WAIT_MS);
  });

  it('a run started from a script records the script in its run.json', async () => {
    const script = path.join(h.workspaceRoot(), 'lens_noop_train.py');
    fs.writeFileSync(script, 'print("nothing to train")\n');
    const id = await vscode.commands.executeCommand('condensationLens.startTraining', { script });
    await h.waitFor('the script to end', () => ext.runSnapshot(api, id)?.running === false, WAIT_MS);
    const json = JSON.parse(fs.readFileSync(path.join(id, 'run.json'), 'utf8'));
    assert.equal(path.resolve(id, json.script), script);
  });
});

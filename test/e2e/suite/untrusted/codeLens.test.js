// In Restricted Mode the lenses above a model's layers still show: they only read.
const vscode = require('vscode');
const assert = require('node:assert/strict');
const path = require('node:path');
const h = require('../helpers');
const ext = require('../extensionApi');
const { fixture, openAnalysed, waitForLens } = require('../codeLensProbe');

const WAIT_MS = 30000;

describe('CodeLens in an untrusted workspace', () => {
  it('shows the cluster count above fc1 from a run folder opened in Restricted Mode', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const api = await ext.activate();
    const runDir = fixture.writeLensWorkspace(h.workspaceRoot(), 'lens-untrusted');
    const model = path.join(h.workspaceRoot(), fixture.MODEL_FILE);
    await openAnalysed(api, runDir, 2, WAIT_MS);
    await vscode.window.showTextDocument(vscode.Uri.file(model));
    const fc1 = 'fc1 · 3 clusters (6 → 3 → 3) · effective 3.0 · step 20';
    await waitForLens(model, 'self.fc1 = nn.Linear', fc1, WAIT_MS);
  });
});

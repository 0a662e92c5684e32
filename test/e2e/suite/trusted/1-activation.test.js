// The extension activates in a real VS Code and registers every command its manifest contributes.
const vscode = require('vscode');
const assert = require('node:assert/strict');
const { EXTENSION_ID } = require('../helpers');

/** The commands issue 4 asks for, by id. */
const REQUIRED_COMMANDS = [
  'condensationLens.startTraining',
  'condensationLens.stopTraining',
  'condensationLens.openRunFolder',
  'condensationLens.showInspector',
  'condensationLens.openCheckpoint',
];

describe('activation (trusted workspace)', () => {
  it('runs in a trusted workspace', () => {
    assert.equal(vscode.workspace.isTrusted, true, 'this session is started with --disable-workspace-trust');
  });

  it(`finds and activates ${EXTENSION_ID}`, async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in the extension host`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers the required commands and every contributed command', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = vscode.extensions
      .getExtension(EXTENSION_ID)
      .packageJSON.contributes.commands.map((c) => c.command);
    for (const id of REQUIRED_COMMANDS)
      assert.ok(contributed.includes(id), `${id} is missing from contributes.commands`);
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered after activation');
  });
});

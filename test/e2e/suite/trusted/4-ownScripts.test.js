// A user's own training script (Python, standard library only), followed live: the script creates its
// nested folders in one os.makedirs call and writes checkpoints, and Open Run Folder is run while it
// writes (issue 9: the editor's file watcher misses such trees, so the extension must poll). Then the
// active file run as a training script with the default runsFolder, its loss read from metrics.jsonl.
const vscode = require('vscode');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('../helpers');
const ext = require('../extensionApi');

const WRITER = path.resolve(__dirname, '..', '..', 'fixtures', 'write_run.py');
const COUNT = 20;
const INTERVAL_MS = 250;
const LAST_STEP = (COUNT - 1) * 100;
const WAIT_MS = 90000;
/** What write_run.py's last checkpoint holds, by construction: 8 neurons in two directions, 4 each. */
const LAST_FIGURES = { layer: 'fc1', step: LAST_STEP, neurons: 8, active: 8, clusters: 2, largestCluster: 4 };

function python(args, env = {}) {
  const child = spawn('python3', [WRITER, ...args], { env: { ...process.env, ...env }, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

/** Waits until the run shows the last checkpoint's figures in its panel, with the last loss of metrics.jsonl. */
async function reachesLastCheckpoint(api, folder) {
  const run = await h.waitFor(
    `${COUNT} checkpoints of ${folder} delivered to its panel`,
    () => {
      const r = ext.runSnapshot(api, folder);
      return r && r.checkpoints === COUNT && r.panel && r.panel.delivered.fc1 === COUNT && r;
    },
    WAIT_MS,
    () => JSON.stringify(ext.runSnapshot(api, folder)),
  );
  assert.deepEqual(run.latest, LAST_FIGURES);
  assert.equal(run.loss, 1 / COUNT, 'the loss of the last metrics.jsonl line');
  assert.deepEqual(run.problems, []);
}

describe("a user's script creating its run folder in one go, opened while it writes", () => {
  let api;
  before(async () => {
    api = await ext.activate();
  });

  const places = {
    'in a deep new subfolder of the workspace': () =>
      path.join(h.workspaceRoot(), 'outputs', 'sweep', `${Date.now()}`, '10-00-00', 'seed-0'),
    'outside the workspace': () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cl-e2e-')), 'elsewhere', 'my-run'),
  };
  for (const [where, folderFor] of Object.entries(places)) {
    it(`${where}: the Layers table reaches the last checkpoint's figures`, async () => {
      const folder = folderFor();
      const writer = python([folder, String(COUNT), String(INTERVAL_MS)]);
      await h.waitFor('the first checkpoints', () => fs.existsSync(path.join(folder, 'checkpoints')), WAIT_MS);
      await new Promise((r) => setTimeout(r, 3 * INTERVAL_MS));
      await vscode.commands.executeCommand('condensationLens.openRunFolder', vscode.Uri.file(folder));
      assert.equal(await writer.exited, 0, 'write_run.py failed');
      await reachesLastCheckpoint(api, folder);
    });
  }
});

describe('Run the active file as a training script (default runsFolder)', () => {
  let api;
  before(async () => {
    api = await ext.activate();
  });

  it('shows checkpoints while the script runs, and the loss from its metrics.jsonl', async () => {
    const script = path.join(h.workspaceRoot(), 'train_mine.py');
    fs.copyFileSync(WRITER, script);
    await vscode.window.showTextDocument(vscode.Uri.file(script));
    const id = await vscode.commands.executeCommand('condensationLens.startTraining', {
      script: vscode.window.activeTextEditor.document.uri,
    });
    assert.equal(path.dirname(id), h.runsFolder(), 'the run folder is in the default runs folder');
    await h.waitFor(
      'an analysed checkpoint while the script still runs',
      () => {
        const r = ext.runSnapshot(api, id);
        return r && r.running && r.checkpoints > 0;
      },
      WAIT_MS,
      () => JSON.stringify(ext.runSnapshot(api, id)),
    );
    await h.waitFor(
      'the script to end',
      () => ext.runSnapshot(api, id)?.status === 'finished',
      WAIT_MS,
      () => JSON.stringify(ext.runSnapshot(api, id)),
    );
    await reachesLastCheckpoint(api, id);
  });
});

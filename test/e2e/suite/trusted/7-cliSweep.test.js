// A sweep the CLI trains, with no window driving it: the Runs view shows each of its runs with its status and its
// sweep label without a click (in the runs folder, and opened with Open Run Folder from elsewhere, live while the
// CLI trains), and a run opened from there is named by its label.
const vscode = require('vscode');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('../helpers');
const ext = require('../extensionApi');

const WAIT_MS = 90000;

/** The built CLI of the extension under test, run by the node the extension is set to use. */
function cli() {
  const node = vscode.workspace.getConfiguration('condensationLens').get('nodePath') || 'node';
  const script = path.join(vscode.extensions.getExtension(h.EXTENSION_ID).extensionPath, 'dist', 'cli.js');
  return { node, script };
}

const sweepArgs = ['sweep', 'relu-1d', '--gamma', '0.5,1', '--width', '8'];

/** The Runs view's line for each run of the sweep `folder`: [label, description]. */
async function treeLines(api, folder) {
  const group = (await api.runsView.sweeps()).find((g) => g.folder === folder);
  return group && group.runs.map((r) => [r.label, r.description]);
}

describe('a sweep written by the CLI', () => {
  let api;
  before(async () => {
    api = await ext.activate();
  });

  it('shows its runs finished or failed, labelled by γ, without opening them; opened, a run is named by its label', async () => {
    const folder = path.join(h.runsFolder(), 'cli-sweep');
    // The trainer refuses a folder that already holds checkpoints: that point fails.
    fs.mkdirSync(path.join(folder, 'gamma=1', 'checkpoints'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'gamma=1', 'checkpoints', 'step-000000.safetensors'), 'not ours');
    const { node, script } = cli();
    const run = spawnSync(node, [script, ...sweepArgs, '--steps', '40', '--every', '20', '--out', folder], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 1, run.stderr);
    const expected = [
      ['γ = 0.5', 'finished · step 40'],
      ['γ = 1', 'failed · step 0'],
    ];
    await h.waitFor(
      'the Runs view to show both runs with their status',
      async () => JSON.stringify(await treeLines(api, folder)) === JSON.stringify(expected),
      WAIT_MS,
    );
    const runs = ['gamma=0.5', 'gamma=1'].map((n) => path.join(folder, n));
    assert.ok(!api.runs().some((r) => runs.includes(r.id)), 'no run of the sweep was opened for that');
    // Clicking a run (the node's command) opens it under its label; the view still says how it ended.
    await vscode.commands.executeCommand('condensationLens.openRunFolder', vscode.Uri.file(runs[0]));
    assert.equal(ext.runSnapshot(api, runs[0])?.name, 'γ = 0.5');
    assert.deepEqual(await treeLines(api, folder), expected);
  });

  it('follows a sweep opened with Open Run Folder while the CLI trains it', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-e2e-cli-sweep-'));
    const { node, script } = cli();
    const args = [...sweepArgs, '--parallel', '1', '--steps', '100000000', '--every', '2000', '--out', folder];
    const child = spawn(node, [script, ...args], { stdio: 'ignore' });
    const exited = new Promise((done) => child.on('exit', done));
    try {
      await h.waitFor('sweep.json', () => fs.existsSync(path.join(folder, 'sweep.json')), WAIT_MS);
      await vscode.commands.executeCommand('condensationLens.openRunFolder', vscode.Uri.file(folder));
      const stepOf = (lines) => Number(/^running · step (\d+)$/.exec(lines?.[0]?.[1] ?? '')?.[1]);
      const first = await h.waitFor(
        'the first run to show running past step 0',
        async () => {
          const lines = await treeLines(api, folder);
          return stepOf(lines) > 0 && lines;
        },
        WAIT_MS,
      );
      assert.equal(first[0][0], 'γ = 0.5');
      assert.deepEqual(first[1], ['γ = 1', 'waiting'], 'the second run waits (one at a time)');
      await h.waitFor(
        'the step shown to move on',
        async () => stepOf(await treeLines(api, folder)) > stepOf(first),
        WAIT_MS,
      );
    } finally {
      child.kill('SIGTERM');
    }
    await exited;
    // Stopped, the trainer ends at the step it reached, the last of its metrics.jsonl.
    const metrics = fs
      .readFileSync(path.join(folder, 'gamma=0.5', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const step = JSON.parse(metrics.at(-1)).step;
    await h.waitFor(
      'the first run to show finished',
      async () => (await treeLines(api, folder))?.[0]?.[1] === `finished · step ${step}`,
      WAIT_MS,
      () => String(step),
    );
  });
});

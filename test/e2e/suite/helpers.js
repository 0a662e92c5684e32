// Observations the extension-host specs make without the extension's help: the file system,
// the process table, the workbench's tabs and the messages shown to the user.
const vscode = require('vscode');
const fs = require('node:fs');
const path = require('node:path');

/** The extension under test, as its manifest names it. */
const EXTENSION_ID = 'condensation-lens.condensation-lens';

/** How often waitFor polls. */
const POLL_MS = 200;

/** Polls `probe` until it returns a truthy value; fails naming `what` (and what `seen()` says) after `timeoutMs`. */
async function waitFor(what, probe, timeoutMs, seen) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; last seen: ${seen()}` : ''}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function workspaceRoot() {
  const folders = vscode.workspace.workspaceFolders;
  if (!folders || folders.length !== 1) throw new Error('the e2e session must open exactly one workspace folder');
  return folders[0].uri.fsPath;
}

/** The runs folder as configured (a relative setting is relative to the workspace folder). */
function runsFolder() {
  const setting = vscode.workspace.getConfiguration('condensationLens').get('runsFolder');
  if (typeof setting !== 'string' || setting === '')
    throw new Error('condensationLens.runsFolder has no value: package.json must contribute it with its default');
  return path.resolve(workspaceRoot(), setting);
}

/** Run folders currently under the runs folder (absolute paths). */
function listRunFolders() {
  const root = runsFolder();
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(root, d.name));
}

/** Checkpoint files of a run (in `checkpoints/` or the run folder itself), by step parsed from the name. */
function checkpointFiles(runFolder) {
  const dir = fs.existsSync(path.join(runFolder, 'checkpoints')) ? path.join(runFolder, 'checkpoints') : runFolder;
  return fs
    .readdirSync(dir)
    .map((name) => ({ name, match: /^step-(\d+)\.safetensors$/.exec(name) }))
    .filter((f) => f.match)
    .map((f) => ({ path: path.join(dir, f.name), step: Number(f.match[1]) }))
    .sort((a, b) => a.step - b.step);
}

/** The JSON header of a safetensors file (8-byte little-endian length, then JSON), read independently of the engine. */
function readSafetensorsHeader(file) {
  const buf = fs.readFileSync(file);
  const len = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + len).toString('utf8'));
  const dataBytes = Math.max(
    0,
    ...Object.entries(header)
      .filter(([k]) => k !== '__metadata__')
      .map(([, t]) => t.data_offsets[1]),
  );
  return { header, complete: buf.length === 8 + len + dataBytes };
}

/** Process ids in the subtree below this extension host (read from /proc, Linux). */
function descendantPids(root = process.pid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, ...
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      /* the process ended while we read */
    }
  }
  const out = [];
  const queue = [String(root)];
  while (queue.length)
    for (const pid of children.get(queue.shift()) || []) {
      out.push(pid);
      queue.push(String(pid));
    }
  return out;
}

function commandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Live processes spawned by the extension host whose command line mentions `text` (e.g. a run folder). */
function processesMentioning(text) {
  return descendantPids().filter((pid) => commandLine(pid).some((arg) => arg.includes(text)));
}

/** Whether a command-line argument is the built-in trainer's script. */
function isTrainerScript(arg) {
  return /[\\/]dist[\\/]trainer\.js$/.test(arg);
}

/** Processes spawned by the extension host that run the built-in trainer. */
function trainerProcesses() {
  return descendantPids().filter((pid) => commandLine(pid).some(isTrainerScript));
}

function isAlive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Records what the extension shows with window.show{Error,Warning,Information}Message while `fn` runs.
 * The specs live inside the extension's folder, so they share its `vscode` API object.
 */
async function captureMessages(fn) {
  const kinds = ['showErrorMessage', 'showWarningMessage', 'showInformationMessage'];
  const saved = kinds.map((k) => vscode.window[k]);
  const shown = [];
  kinds.forEach((k, i) => {
    vscode.window[k] = (message, ...rest) => {
      shown.push({ kind: k, message });
      return saved[i].call(vscode.window, message, ...rest);
    };
  });
  try {
    const result = await fn();
    return { result, shown };
  } catch (error) {
    return { error, shown };
  } finally {
    kinds.forEach((k, i) => {
      vscode.window[k] = saved[i];
    });
  }
}

/** Every open editor tab as { label, uri, viewType } (custom editors and webviews included). */
function openTabs() {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => ({
      label: t.label,
      uri: t.input && t.input.uri ? t.input.uri.fsPath : undefined,
      viewType: t.input && t.input.viewType,
    }));
}

module.exports = {
  EXTENSION_ID,
  waitFor,
  workspaceRoot,
  runsFolder,
  listRunFolders,
  checkpointFiles,
  readSafetensorsHeader,
  descendantPids,
  commandLine,
  processesMentioning,
  isTrainerScript,
  trainerProcesses,
  isAlive,
  captureMessages,
  openTabs,
};

// The commands of the "Condensation" category; each takes optional arguments for scripts and tests.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { editorContributions } from '../core/formats';
import type { InspectorPanels } from './panel/inspectorPanels';
import { CHECKPOINT_EDITOR_VIEW_TYPE } from './panel/checkpointEditor';
import type { RunManager } from './run/runManager';
import type { RunSession } from './run/runSession';
import { startTraining, type StartTrainingArgs } from './startTraining';
import { runsRoot } from './config';
import { argPath, type PathArg, type RunsTreeNode } from './commandArgs';
import { DisposableStore } from './lifecycle';
import { statusLine } from './statusText';
import type { RunDescription } from './run/runSession';
import { sweepPointOf } from './sweep/sweepFolder';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  manager: RunManager;
  panels: InspectorPanels;
  /** Redraws the Runs tree (Refresh). */
  refreshTree(): void;
  /** Shows an error with a "Show Log" action. */
  reportError(message: string): void;
  /** The run folders the Runs tree lists. */
  treeFolders(): Promise<string[]>;
}

function runFromArg(manager: RunManager, arg: PathArg): RunSession | undefined {
  const id = argPath(arg);
  return id === undefined ? undefined : manager.get(id);
}

/** A file Uri for the argument (the Explorer passes a Uri, the Runs tree its node); undefined to ask. */
function uriFromArg(arg: PathArg | vscode.Uri): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const path = argPath(arg);
  return path === undefined ? undefined : vscode.Uri.file(path);
}

async function pickRun(runs: RunSession[], placeHolder: string): Promise<RunSession | undefined> {
  if (runs.length <= 1) return runs[0];
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({
      label: run.info.name,
      description: statusLine(run.info, run.model.latest),
      detail: run.folder,
      run,
    })),
    { placeHolder },
  );
  return picked?.run;
}

/** Stops the run given, or the only live run, or asks which when several are live. */
async function stopTraining(ctx: CommandContext, arg?: PathArg): Promise<string | undefined> {
  const run =
    runFromArg(ctx.manager, arg) ?? (await pickRun(ctx.manager.live(), vscode.l10n.t('Choose the run to stop')));
  if (!run?.running) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No training run is running.'));
    return undefined;
  }
  await run.stop();
  return run.id;
}

/** A run folder to open: a sweep's point is named by what varies (`γ = 0.5`), as the Runs tree labels it. */
async function folderRun(folder: string): Promise<RunDescription> {
  const point = await sweepPointOf(folder);
  return { name: point?.label ?? basename(folder), target: { folder }, preset: point?.preset };
}

async function openRunFolder(ctx: CommandContext, arg?: PathArg | vscode.Uri): Promise<string | undefined> {
  let uri = uriFromArg(arg);
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      defaultUri: vscode.Uri.file(runsRoot(ctx.extension)),
      openLabel: vscode.l10n.t('Watch Run Folder'),
    });
    uri = picked?.[0];
  }
  if (!uri) return undefined;
  const run = ctx.manager.open(await folderRun(uri.fsPath));
  ctx.panels.show(run);
  return run.id;
}

async function showInspector(ctx: CommandContext, arg?: PathArg): Promise<string | undefined> {
  // A Runs tree folder that is not open yet is opened, rather than showing whichever run is current.
  if (!runFromArg(ctx.manager, arg) && argPath(arg) !== undefined) return openRunFolder(ctx, arg);
  const run =
    runFromArg(ctx.manager, arg) ??
    ctx.manager.current ??
    (await pickRun(ctx.manager.all(), vscode.l10n.t('Choose a run')));
  if (!run) {
    const open = vscode.l10n.t('Open Run Folder…');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('No run yet: start a training run or open a run folder.'),
      open,
    );
    return choice === open ? openRunFolder(ctx) : undefined;
  }
  ctx.manager.setCurrent(run);
  ctx.panels.show(run);
  return run.id;
}

/**
 * The run folders that command arguments name: the Runs tree's selection (its run nodes, and a sweep node's runs),
 * paths or `{ runId }`s.
 */
function foldersFromArgs(args: readonly unknown[]): string[] {
  const node = (a: unknown) => (typeof a === 'object' && a !== null && 'kind' in a ? (a as RunsTreeNode) : undefined);
  return [
    ...new Set(
      args.flatMap((a) => {
        const n = node(a);
        if (n?.kind === 'sweep') return n.runs;
        return n && n.kind !== 'run' ? [] : (argPath(a) ?? []);
      }),
    ),
  ];
}

/**
 * One panel over several runs: those selected in the Runs tree (VS Code passes the clicked node and the selection),
 * or given as a list; with fewer than two, a multi-select pick of the tree's runs and the open ones.
 */
async function compareRuns(ctx: CommandContext, arg?: unknown, selection?: unknown): Promise<string[] | undefined> {
  const given = Array.isArray(selection) && selection.length > 0 ? selection : Array.isArray(arg) ? arg : [arg];
  let folders = foldersFromArgs(given);
  if (folders.length < 2) {
    const candidates = [...new Set([...ctx.manager.all().map((r) => r.folder), ...(await ctx.treeFolders())])];
    const picked = await vscode.window.showQuickPick(
      candidates.map((folder) => {
        const run = ctx.manager.get(folder);
        return {
          label: run?.info.name ?? basename(folder),
          description: run ? statusLine(run.info, run.model.latest) : undefined,
          detail: folder,
          picked: folders.includes(folder),
        };
      }),
      { canPickMany: true, placeHolder: vscode.l10n.t('Choose the runs to compare') },
    );
    if (!picked) return undefined;
    folders = picked.map((p) => p.detail);
  }
  if (folders.length < 2) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Choose at least two runs to compare.'));
    return undefined;
  }
  const runs: RunSession[] = [];
  for (const folder of folders) runs.push(ctx.manager.get(folder) ?? ctx.manager.open(await folderRun(folder)));
  ctx.panels.showRuns(runs);
  return runs.map((r) => r.id);
}

/** Scans the run's folder (or every run's) now, and redraws the Runs tree. */
function refresh(ctx: CommandContext, arg?: PathArg): void {
  const run = runFromArg(ctx.manager, arg);
  if (run) run.poke();
  else ctx.manager.refreshAll();
  ctx.refreshTree();
}

async function openCheckpoint(arg?: PathArg | vscode.Uri): Promise<void> {
  let uri = uriFromArg(arg);
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { [vscode.l10n.t('Checkpoints')]: editorContributions.pickerExtensions },
      openLabel: vscode.l10n.t('Inspect Checkpoint'),
    });
    uri = picked?.[0];
  }
  if (uri)
    await vscode.commands.executeCommand('vscode.openWith', uri, CHECKPOINT_EDITOR_VIEW_TYPE, vscode.ViewColumn.Beside);
}

export function registerCommands(ctx: CommandContext): DisposableStore {
  const commands: Record<string, (...args: never[]) => unknown> = {
    'condensationLens.startTraining': (args?: StartTrainingArgs) => startTraining(ctx, args),
    'condensationLens.stopTraining': (arg?: PathArg) => stopTraining(ctx, arg),
    'condensationLens.openRunFolder': (arg?: PathArg | vscode.Uri) => openRunFolder(ctx, arg),
    'condensationLens.showInspector': (arg?: PathArg) => showInspector(ctx, arg),
    'condensationLens.compareRuns': (arg?: unknown, selection?: unknown) => compareRuns(ctx, arg, selection),
    'condensationLens.openCheckpoint': (arg?: PathArg | vscode.Uri) => openCheckpoint(arg),
    'condensationLens.refresh': (arg?: PathArg) => refresh(ctx, arg),
  };
  const store = new DisposableStore();
  for (const [id, run] of Object.entries(commands)) store.add(vscode.commands.registerCommand(id, run));
  return store;
}

// The commands of the "Condensation" category; each takes optional arguments for scripts and tests.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { InspectorPanels } from './panel/inspectorPanels';
import { CHECKPOINT_EDITOR_VIEW_TYPE } from './panel/checkpointEditor';
import type { RunManager } from './run/runManager';
import type { RunSession } from './run/runSession';
import { startTraining, type StartTrainingArgs } from './startTraining';
import { runsRoot } from './config';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  manager: RunManager;
  panels: InspectorPanels;
  /** Shows an error with a "Show Log" action. */
  reportError(message: string): void;
}

/** A run named by a command argument: its id or folder as a string or Uri, or a Runs tree node. */
type RunArg = string | vscode.Uri | { runId?: string; folder?: string } | undefined;

function runFromArg(manager: RunManager, arg: RunArg): RunSession | undefined {
  if (arg === undefined) return undefined;
  const id = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : (arg.runId ?? arg.folder);
  return id === undefined ? undefined : manager.get(id);
}

async function pickRun(runs: RunSession[], placeHolder: string): Promise<RunSession | undefined> {
  if (runs.length <= 1) return runs[0];
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({ label: run.info.name, description: run.info.status, detail: run.folder, run })),
    { placeHolder },
  );
  return picked?.run;
}

async function stopTraining(ctx: CommandContext, arg?: RunArg): Promise<string | undefined> {
  const current = ctx.manager.current;
  const run = runFromArg(ctx.manager, arg) ?? (current?.running ? current : await pickRun(ctx.manager.all().filter((r) => r.running), vscode.l10n.t('Choose the run to stop')));
  if (!run?.running) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No training run is running.'));
    return undefined;
  }
  await run.stop();
  return run.id;
}

async function openRunFolder(ctx: CommandContext, uri?: vscode.Uri): Promise<string | undefined> {
  if (!(uri instanceof vscode.Uri)) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      defaultUri: vscode.Uri.file(runsRoot(ctx.extension)),
      openLabel: vscode.l10n.t('Watch Run Folder'),
    });
    uri = picked?.[0];
  }
  if (!uri) return undefined;
  const run = ctx.manager.open({ name: basename(uri.fsPath), target: { folder: uri.fsPath } });
  ctx.panels.show(run);
  return run.id;
}

async function showInspector(ctx: CommandContext, arg?: RunArg): Promise<string | undefined> {
  const run = runFromArg(ctx.manager, arg) ?? ctx.manager.current ?? (await pickRun(ctx.manager.all(), vscode.l10n.t('Choose a run')));
  if (!run) {
    const open = vscode.l10n.t('Open Run Folder…');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('No run yet: start a training run or open a run folder.'), open);
    return choice === open ? openRunFolder(ctx) : undefined;
  }
  ctx.manager.setCurrent(run);
  ctx.panels.show(run);
  return run.id;
}

async function openCheckpoint(uri?: vscode.Uri): Promise<void> {
  if (!(uri instanceof vscode.Uri)) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { [vscode.l10n.t('Checkpoints')]: ['safetensors', 'pt', 'pth', 'npz'] },
      openLabel: vscode.l10n.t('Inspect Checkpoint'),
    });
    uri = picked?.[0];
  }
  if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, CHECKPOINT_EDITOR_VIEW_TYPE, vscode.ViewColumn.Beside);
}

export function registerCommands(ctx: CommandContext): vscode.Disposable {
  const commands: Record<string, (...args: never[]) => unknown> = {
    'condensationLens.startTraining': (args?: StartTrainingArgs) => startTraining(ctx, args),
    'condensationLens.stopTraining': (arg?: RunArg) => stopTraining(ctx, arg),
    'condensationLens.openRunFolder': (uri?: vscode.Uri) => openRunFolder(ctx, uri),
    'condensationLens.showInspector': (arg?: RunArg) => showInspector(ctx, arg),
    'condensationLens.openCheckpoint': (uri?: vscode.Uri) => openCheckpoint(uri),
  };
  return vscode.Disposable.from(...Object.entries(commands).map(([id, run]) => vscode.commands.registerCommand(id, run)));
}

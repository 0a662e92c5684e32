// The sweep and phase commands: Start Sweep…, Start Phase Diagram…, Stop Sweep, Show Phase Diagram; and the
// progress notification of every sweep this window drives.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PHASE_FILE } from '../../protocol/phase';
import { argPath, type PathArg } from '../commandArgs';
import { runsRoot } from '../config';
import { DisposableStore } from '../lifecycle';
import type { PhasePanels } from '../phase/phasePanel';
import {
  startPhaseDiagram,
  startSweep,
  type StartPhaseArgs,
  type StartSweepArgs,
  type SweepContext,
} from './startSweep';
import type { SweepSession } from './sweepSession';

export interface SweepCommandContext extends SweepContext {
  phases: PhasePanels;
}

/** The folder a command names (a Runs tree group, a path, a Uri), else undefined. */
function folderArg(arg: PathArg | vscode.Uri): string | undefined {
  return arg instanceof vscode.Uri ? arg.fsPath : argPath(arg);
}

/** Stops the sweep given (or the only one running, or the one chosen) with all of its runs. */
async function stopSweep(ctx: SweepContext, arg?: PathArg): Promise<string | undefined> {
  const folder = folderArg(arg);
  let sweep = ctx.sweeps.get(folder);
  // A sweep this window does not drive: its runs that were started here.
  const own = ctx.manager
    .all()
    .filter((r) => r.running && folder !== undefined && dirname(r.folder) === resolve(folder));
  if (!sweep && own.length > 0) {
    await Promise.all(own.map((r) => r.stop()));
    return resolve(folder!);
  }
  if (!sweep) {
    const running = ctx.sweeps.all().filter((s) => s.running);
    const picked =
      running.length <= 1
        ? running[0]
        : (
            await vscode.window.showQuickPick(
              running.map((s) => ({ label: basename(s.folder), detail: s.folder, sweep: s })),
              { placeHolder: vscode.l10n.t('Choose the sweep to stop') },
            )
          )?.sweep;
    sweep = picked;
  }
  if (!sweep) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No sweep is running.'));
    return undefined;
  }
  await sweep.stop();
  return sweep.folder;
}

/** Subfolders of the runs folder that hold a phase.json. */
async function phaseFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, PHASE_FILE)))
    .map((d) => join(root, d.name))
    .sort();
}

/** Shows the phase folder given, or asks for one: the runs folder's phase folders, or any folder. */
async function showPhaseDiagram(ctx: SweepCommandContext, arg?: PathArg | vscode.Uri): Promise<string | undefined> {
  let folder = folderArg(arg);
  if (!folder) {
    const root = runsRoot(ctx.extension);
    const browse = { label: `$(folder-opened) ${vscode.l10n.t('Choose a folder…')}`, folder: undefined };
    const found = (await phaseFolders(root)).map((f) => ({
      label: basename(f),
      detail: f,
      folder: f as string | undefined,
    }));
    const picked = found.length
      ? await vscode.window.showQuickPick([...found, browse], {
          title: vscode.l10n.t('Show Phase Diagram'),
          placeHolder: vscode.l10n.t('Choose a folder written by `condensation-lens phase`'),
        })
      : browse;
    if (!picked) return undefined;
    folder = picked.folder;
    if (!folder) {
      const uri = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        defaultUri: vscode.Uri.file(root),
        openLabel: vscode.l10n.t('Show Phase Diagram'),
      });
      folder = uri?.[0]?.fsPath;
    }
  }
  if (!folder) return undefined;
  try {
    await ctx.phases.show(folder);
    return folder;
  } catch (e) {
    ctx.reportError((e as Error).message);
    return undefined;
  }
}

/** One notification per sweep while it trains: runs done and the share of all steps; Cancel stops it. */
function showProgress(sweep: SweepSession): void {
  void vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Sweep {0}', basename(sweep.folder)),
      cancellable: true,
    },
    (progress, token) =>
      new Promise<void>((done) => {
        let shown = 0;
        const store = new DisposableStore();
        const finish = () => {
          store.dispose();
          done();
        };
        store.add(
          sweep.onDidChange(() => {
            const t = sweep.totals;
            if (!t) return;
            const percent = t.totalSteps > 0 ? Math.min(100, (100 * t.steps) / t.totalSteps) : 0;
            const failed = t.failed ? vscode.l10n.t(', {0} failed', t.failed) : '';
            progress.report({
              message: vscode.l10n.t('{0} of {1} runs done{2}', t.finished + t.failed, t.points, failed),
              increment: percent - shown,
            });
            shown = percent;
          }),
        );
        store.add(sweep.onDidEnd(finish));
        store.add(token.onCancellationRequested(() => void sweep.stop()));
        if (sweep.end) finish();
      }),
  );
}

/** What the user hears when a sweep ends; a phase folder's diagram opens by itself. */
function announceEnd(ctx: SweepCommandContext, sweep: SweepSession): void {
  sweep.onDidEnd((end) => {
    ctx.refreshTree();
    const name = basename(sweep.folder);
    if (end.status === 'failed') ctx.reportError(vscode.l10n.t('Sweep {0} failed: {1}', name, end.message ?? ''));
    else if (end.status === 'finished' && existsSync(join(sweep.folder, PHASE_FILE)))
      void showPhaseDiagram(ctx, sweep.folder);
    else if (end.status === 'finished')
      void vscode.window.showInformationMessage(vscode.l10n.t('Sweep {0} finished.', name));
  });
}

export function registerSweepCommands(ctx: SweepCommandContext): DisposableStore {
  const store = new DisposableStore();
  const commands: Record<string, (...args: never[]) => unknown> = {
    'condensationLens.startSweep': (args?: StartSweepArgs) => startSweep(ctx, args),
    'condensationLens.startPhaseDiagram': (args?: StartPhaseArgs) => startPhaseDiagram(ctx, args),
    'condensationLens.stopSweep': (arg?: PathArg) => stopSweep(ctx, arg),
    'condensationLens.showPhaseDiagram': (arg?: PathArg | vscode.Uri) => showPhaseDiagram(ctx, arg),
  };
  for (const [id, run] of Object.entries(commands)) store.add(vscode.commands.registerCommand(id, run));
  store.add(
    ctx.sweeps.onDidAdd((sweep) => {
      showProgress(sweep);
      announceEnd(ctx, sweep);
    }),
  );
  return store;
}

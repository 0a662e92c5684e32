// Feeds VS Code's file events to each run's watcher, so that a change is seen at once rather than at
// the next poll; one FileSystemWatcher per run, created and removed with the runs. The watchers poll
// as well: these events miss folders created in one go (parcel-bundler/watcher#97) and remote file systems.
import * as vscode from 'vscode';
import { basename, dirname, sep } from 'node:path';
import type { RunManager } from '../run/runManager';
import type { RunSession } from '../run/runSession';
import { Disposable, toDisposable } from '../lifecycle';
import { LOG_FOLDER } from '../run/trainerProcess';

function watchRun(run: RunSession): vscode.Disposable {
  const target = run.watcher.target;
  const pattern =
    'folder' in target
      ? new vscode.RelativePattern(vscode.Uri.file(target.folder), '**/*')
      : new vscode.RelativePattern(vscode.Uri.file(dirname(target.file)), basename(target.file));
  const watcher = vscode.workspace.createFileSystemWatcher(pattern);
  // The process's own output files change with every line it prints: not a reason to scan (nor are a
  // writer's temporary files: the watcher ignores those).
  const poke = (uri: vscode.Uri) => !uri.fsPath.split(sep).includes(LOG_FOLDER) && run.watcher.fileEvent(uri.fsPath);
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(poke),
    watcher.onDidChange(poke),
    watcher.onDidDelete(poke),
  );
}

export class FolderEvents extends Disposable {
  private readonly watchers = new Map<RunSession, vscode.Disposable>();

  constructor(private readonly manager: RunManager) {
    super();
    this._register(manager.onDidChange(() => this.sync()));
    this._register(
      toDisposable(() => {
        for (const w of this.watchers.values()) w.dispose();
        this.watchers.clear();
      }),
    );
    this.sync();
  }

  private sync(): void {
    const runs = new Set(this.manager.all());
    for (const [run, w] of this.watchers) {
      if (!runs.has(run)) {
        w.dispose();
        this.watchers.delete(run);
      }
    }
    for (const run of runs) if (!this.watchers.has(run)) this.watchers.set(run, watchRun(run));
  }
}

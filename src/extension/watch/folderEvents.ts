// Feeds VS Code's file events (which work outside the workspace and over remote connections)
// to each run's watcher; one FileSystemWatcher per run, created and removed with the runs.
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import type { RunManager } from '../run/runManager';
import type { RunSession } from '../run/runSession';

function watchRun(run: RunSession): vscode.Disposable {
  const target = run.watcher.target;
  const pattern =
    'folder' in target
      ? new vscode.RelativePattern(vscode.Uri.file(target.folder), '**/*')
      : new vscode.RelativePattern(vscode.Uri.file(dirname(target.file)), basename(target.file));
  const watcher = vscode.workspace.createFileSystemWatcher(pattern);
  const poke = () => run.poke();
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(poke),
    watcher.onDidChange(poke),
    watcher.onDidDelete(poke),
  );
}

export class FolderEvents implements vscode.Disposable {
  private readonly watchers = new Map<RunSession, vscode.Disposable>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly manager: RunManager) {
    this.subscription = manager.onDidChange(() => this.sync());
    this.sync();
  }

  dispose(): void {
    this.subscription.dispose();
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
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

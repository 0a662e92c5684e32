// The "Runs" tree: runs in the workspace's runs folder and folders opened for watching,
// each with its checkpoints; context actions open, stop and inspect them.
import * as vscode from 'vscode';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RunsTreeNode } from '../commandArgs';
import type { RunManager } from '../run/runManager';
import { listCheckpointStats } from '../watch/checkpointFiles';
import { stepOrder } from '../watch/checkpointTracker';
import { stepFromName } from '../../core/run';
import { STATUS_LABELS } from '../../protocol/panel';

export const RUNS_VIEW_ID = 'condensationLens.runs';

type Node = RunsTreeNode;

export class RunsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private rootWatcher: vscode.Disposable | undefined;

  constructor(
    private readonly manager: RunManager,
    private readonly runsRoot: () => string,
    private readonly debounceMs: () => number,
  ) {
    this.disposables.push(
      this._onDidChangeTreeData,
      manager.onDidChange(() => this.refresh()),
      // The runs folder is a setting relative to the workspace: follow both.
      vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration('condensationLens.runsFolder') && this.watchRunsRoot(),
      ),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.watchRunsRoot()),
    );
    this.watchRunsRoot();
  }

  private watchRunsRoot(): void {
    this.rootWatcher?.dispose();
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(this.runsRoot()), '**/*'),
    );
    this.rootWatcher = vscode.Disposable.from(
      watcher,
      watcher.onDidCreate(() => this.refresh()),
      watcher.onDidDelete(() => this.refresh()),
    );
    this.refresh();
  }

  /** Debounced: a training run creates files quickly. */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this._onDidChangeTreeData.fire(), this.debounceMs());
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return (await this.runFolders()).map((folder) => ({ kind: 'run', folder }));
    if (node.kind === 'checkpoint') return [];
    const files = await listCheckpointStats({ folder: node.folder });
    return stepOrder(files.map((f) => ({ ...f, nameStep: stepFromName(f.path) }))).map((f) => ({
      kind: 'checkpoint',
      path: f.path,
    }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'checkpoint') {
      const item = new vscode.TreeItem(vscode.Uri.file(node.path), vscode.TreeItemCollapsibleState.None);
      item.contextValue = 'checkpoint';
      item.command = {
        command: 'condensationLens.openCheckpoint',
        title: vscode.l10n.t('Open Checkpoint'),
        arguments: [vscode.Uri.file(node.path)],
      };
      return item;
    }
    const run = this.manager.get(node.folder);
    const item = new vscode.TreeItem(
      run?.info.name ?? basename(node.folder),
      vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = node.folder;
    item.resourceUri = vscode.Uri.file(node.folder);
    item.iconPath = new vscode.ThemeIcon(run?.running ? 'sync~spin' : 'folder');
    item.description = run
      ? STATUS_LABELS[run.info.status] + (run.info.step !== undefined ? ` · step ${run.info.step}` : '')
      : undefined;
    item.tooltip = node.folder;
    item.contextValue = run?.running ? 'run.running' : 'run';
    item.command = {
      command: 'condensationLens.openRunFolder',
      title: vscode.l10n.t('Open Run Folder'),
      arguments: [vscode.Uri.file(node.folder)],
    };
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.rootWatcher?.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  /** Folder runs the window knows, then the subfolders of the runs folder, newest name last. */
  private async runFolders(): Promise<string[]> {
    const known = this.manager
      .all()
      .filter((r) => 'folder' in r.watcher.target)
      .map((r) => r.folder);
    let found: string[] = [];
    try {
      const root = this.runsRoot();
      found = (await readdir(root, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => join(root, d.name))
        .sort();
    } catch {
      // no runs folder yet
    }
    return [...new Set([...known, ...found])];
  }
}

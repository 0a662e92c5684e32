// The "Runs" tree: runs in the workspace's runs folder and folders opened for watching,
// each with its checkpoints, and sweeps as groups of their runs; context actions open, stop and inspect them.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { RunsTreeNode } from '../commandArgs';
import { Disposable, MutableDisposable, toDisposable } from '../lifecycle';
import { SETTINGS_SECTION } from '../run/launch';
import type { RunManager } from '../run/runManager';
import { HOST_SETTING_KEYS } from '../settingsTable';
import { listCheckpointStats } from '../watch/checkpointFiles';
import { stepOrder } from '../watch/checkpointTracker';
import { noCheckpointsMessage, stepFromName } from '../../core/run';
import { STATUS_LABELS } from '../../protocol/panel';
import { readSweepGroup, type SweepGroup } from '../sweep/sweepFolder';
import type { SweepManager } from '../sweep/sweepManager';
import { sweepChildren, sweepDescription, topLevelNodes } from './runsTreeNodes';

export const RUNS_VIEW_ID = 'condensationLens.runs';

type Node = RunsTreeNode;

export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly rootWatcher = this._register(new MutableDisposable());

  constructor(
    private readonly manager: RunManager,
    private readonly runsRoot: () => string,
    private readonly debounceMs: () => number,
    private readonly sweeps?: SweepManager,
  ) {
    super();
    this._register(toDisposable(() => clearTimeout(this.timer)));
    this._register(manager.onDidChange(() => this.refresh()));
    if (sweeps) this._register(sweeps.onDidChange(() => this.refresh()));
    // The runs folder is a setting relative to the workspace: follow both.
    this._register(
      vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration(`${SETTINGS_SECTION}.${HOST_SETTING_KEYS.runsFolder}`) && this.watchRunsRoot(),
      ),
    );
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.watchRunsRoot()));
    this.watchRunsRoot();
  }

  private watchRunsRoot(): void {
    this.rootWatcher.value = undefined;
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(this.runsRoot()), '**/*'),
    );
    this.rootWatcher.value = vscode.Disposable.from(
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
    if (!node) {
      const folders = await this.runFolders();
      const groups = (await Promise.all(folders.map((f) => readSweepGroup(f)))).filter(
        (g): g is SweepGroup => g !== undefined,
      );
      return topLevelNodes(folders, groups);
    }
    if (node.kind === 'sweep') {
      const group = await readSweepGroup(node.folder);
      return group ? sweepChildren(group, existsSync) : [];
    }
    if (node.kind !== 'run') return [];
    const files = await listCheckpointStats({ folder: node.folder });
    if (files.length === 0) return [{ kind: 'empty', message: noCheckpointsMessage(node.folder) }];
    return stepOrder(files.map((f) => ({ ...f, nameStep: stepFromName(f.path) }))).map((f) => ({
      kind: 'checkpoint',
      path: f.path,
      label: relative(node.folder, f.path).split(sep).join('/'),
    }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'empty') {
      const item = new vscode.TreeItem(vscode.l10n.t('No checkpoints yet'), vscode.TreeItemCollapsibleState.None);
      item.tooltip = node.message;
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    if (node.kind === 'checkpoint') {
      const item = new vscode.TreeItem(vscode.Uri.file(node.path), vscode.TreeItemCollapsibleState.None);
      if (node.label) item.label = node.label;
      item.contextValue = 'checkpoint';
      item.command = {
        command: 'condensationLens.openCheckpoint',
        title: vscode.l10n.t('Open Checkpoint'),
        arguments: [vscode.Uri.file(node.path)],
      };
      return item;
    }
    if (node.kind === 'sweep') return this.sweepItem(node);
    const run = this.manager.get(node.folder);
    const item = new vscode.TreeItem(
      node.label ?? run?.info.name ?? basename(node.folder),
      node.pending ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = node.folder;
    item.resourceUri = vscode.Uri.file(node.folder);
    const training = run?.running || run?.info.status === 'running';
    item.iconPath = new vscode.ThemeIcon(training ? 'sync~spin' : node.pending ? 'clock' : 'folder');
    item.description = run
      ? STATUS_LABELS[run.info.status] + (run.info.step !== undefined ? ` · step ${run.info.step}` : '')
      : node.pending
        ? vscode.l10n.t('waiting')
        : undefined;
    if (node.pending) {
      item.tooltip = node.folder;
      item.contextValue = 'pendingRun';
      return item;
    }
    item.tooltip = node.folder;
    item.contextValue = run?.running ? 'run.running' : 'run';
    item.command = {
      command: 'condensationLens.openRunFolder',
      title: vscode.l10n.t('Open Run Folder'),
      arguments: [vscode.Uri.file(node.folder)],
    };
    return item;
  }

  /** A sweep: its runs below it; Stop while it trains, Show Phase Diagram once a phase folder has phase.json. */
  private sweepItem(node: Extract<Node, { kind: 'sweep' }>): vscode.TreeItem {
    const item = new vscode.TreeItem(basename(node.folder), vscode.TreeItemCollapsibleState.Expanded);
    item.id = node.folder;
    item.resourceUri = vscode.Uri.file(node.folder);
    const runs = node.runs.map((f) => this.manager.get(f));
    const running = this.sweeps?.get(node.folder)?.running || runs.some((r) => r?.running);
    item.iconPath = new vscode.ThemeIcon(running ? 'sync~spin' : 'layers');
    item.description = sweepDescription(
      node.preset,
      node.runs.length,
      runs.flatMap((r) => (r ? [r.info.status] : [])),
    );
    item.tooltip = node.folder;
    item.contextValue = ['sweep', running ? 'running' : undefined, node.phase ? 'phase' : undefined]
      .filter(Boolean)
      .join('.');
    return item;
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

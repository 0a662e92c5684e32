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
import { lastMetricsStep } from '../run/runFiles';
import { readSweepGroup, type SweepGroup } from '../sweep/sweepFolder';
import type { SweepManager } from '../sweep/sweepManager';
import { shownStatus, statusText, sweepChildren, sweepDescription, topLevelNodes } from './runsTreeNodes';

export const RUNS_VIEW_ID = 'condensationLens.runs';

type Node = RunsTreeNode;

export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private timer: NodeJS.Timeout | undefined;
  /** While a sweep point runs that no process here reports on, the tree reads its sweep again this often. */
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly rootWatcher = this._register(new MutableDisposable());

  constructor(
    private readonly manager: RunManager,
    private readonly runsRoot: () => string,
    private readonly timing: { debounceMs(): number; pollMs(): number },
    private readonly sweeps?: SweepManager,
  ) {
    super();
    this._register(
      toDisposable(() => {
        clearTimeout(this.timer);
        clearTimeout(this.pollTimer);
      }),
    );
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
    this.timer = setTimeout(() => this._onDidChangeTreeData.fire(), this.timing.debounceMs());
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
      return group ? this.withLiveSteps(sweepChildren(group, existsSync)) : [];
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
    const shown = shownStatus(run?.info, node.point);
    const training = run?.running || shown?.status === 'running';
    item.iconPath = new vscode.ThemeIcon(training ? 'sync~spin' : node.pending ? 'clock' : 'folder');
    item.description = shown ? statusText(shown) : node.pending ? vscode.l10n.t('waiting') : undefined;
    item.tooltip =
      shown?.status === 'failed' && node.point?.message ? `${node.folder}\n${node.point.message}` : node.folder;
    if (node.pending) {
      item.contextValue = 'pendingRun';
      return item;
    }
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
    const statuses = runs.flatMap((r, i) => shownStatus(r?.info, node.points?.[i])?.status ?? []);
    const running = this.sweeps?.get(node.folder)?.running || runs.some((r) => r?.running);
    item.iconPath = new vscode.ThemeIcon(running || statuses.includes('running') ? 'sync~spin' : 'layers');
    item.description = sweepDescription(node.preset, node.runs.length, statuses);
    item.tooltip = node.folder;
    item.contextValue = ['sweep', running ? 'running' : undefined, node.phase ? 'phase' : undefined]
      .filter(Boolean)
      .join('.');
    return item;
  }

  /**
   * A running point's step is its metrics.jsonl's last (its driver says only when it ends); while one runs, the
   * tree is read again in pollMs, so that it follows a sweep that no process of this window drives.
   */
  private async withLiveSteps(children: Node[]): Promise<Node[]> {
    const running = (n: Node) => n.kind === 'run' && n.point?.status === 'running';
    if (children.some(running) && !this.pollTimer)
      this.pollTimer = setTimeout(() => {
        this.pollTimer = undefined;
        this._onDidChangeTreeData.fire();
      }, this.timing.pollMs());
    return Promise.all(
      children.map(async (n) =>
        n.kind === 'run' && running(n) ? { ...n, point: { ...n.point!, step: await lastMetricsStep(n.folder) } } : n,
      ),
    );
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

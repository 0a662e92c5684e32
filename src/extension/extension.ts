// Entry point: wires the runs, the analysis worker, the panels, the views and the commands.
import * as vscode from 'vscode';
import { AnalysisQueue } from './analysis/analysisQueue';
import { AnalysisWorker } from './analysis/analysisWorker';
import { snapshot, type CondensationLensApi } from './api';
import { registerCommands } from './commands';
import { ANALYSIS_KEYS, analysisSettings, hostSettings, runsRoot } from './config';
import { CHECKPOINT_EDITOR_VIEW_TYPE, CheckpointEditorProvider } from './panel/checkpointEditor';
import { InspectorPanels, INSPECTOR_VIEW_TYPE } from './panel/inspectorPanels';
import { editorPanelHost } from './panel/panelHost';
import { RunManager } from './run/runManager';
import { RunStatusBar } from './statusBar';
import { METRICS_VIEW_ID, MetricsViewProvider } from './views/metricsView';
import { RUNS_VIEW_ID, RunsTreeProvider } from './views/runsTree';
import { FolderEvents } from './watch/folderEvents';

export function activate(context: vscode.ExtensionContext): CondensationLensApi {
  const log = vscode.window.createOutputChannel('Condensation Lens', { log: true });
  const worker = new AnalysisWorker(context.asAbsolutePath('dist/analysisWorker.js'));
  const runs = new RunManager({
    queue: new AnalysisQueue(worker.execute),
    settings: analysisSettings,
    debounceMs: () => hostSettings().debounceMs,
    pollMs: () => hostSettings().pollMs,
    log: (line) => log.info(line),
  });
  const showLog = vscode.l10n.t('Show Log');
  const reportError = (message: string) =>
    void vscode.window.showErrorMessage(message, showLog).then((c) => c === showLog && log.show());

  const host = editorPanelHost((run) => panels.show(run));
  const panels = new InspectorPanels(context.extensionUri, runs, host);
  const metrics = new MetricsViewProvider(context.extensionUri, runs, host);
  const tree = new RunsTreeProvider(
    runs,
    () => runsRoot(context),
    () => hostSettings().debounceMs,
  );

  context.subscriptions.push(
    log,
    worker,
    runs,
    panels,
    tree,
    new FolderEvents(runs),
    new RunStatusBar(runs),
    registerCommands({ extension: context, manager: runs, panels, reportError, refreshTree: () => tree.refresh() }),
    vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => panels.revive(panel, state),
    }),
    vscode.window.registerCustomEditorProvider(
      CHECKPOINT_EDITOR_VIEW_TYPE,
      new CheckpointEditorProvider(context.extensionUri, runs, host),
      {
        supportsMultipleEditorsPerDocument: true,
      },
    ),
    vscode.window.registerWebviewViewProvider(METRICS_VIEW_ID, metrics),
    vscode.window.registerTreeDataProvider(RUNS_VIEW_ID, tree),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!ANALYSIS_KEYS.some((k) => e.affectsConfiguration(k))) return;
      panels.settingsChanged();
      metrics.settingsChanged();
      runs.reanalyseAll();
    }),
    runs.onDidEnd(({ run, end }) => {
      if (end.status === 'failed')
        reportError(vscode.l10n.t('Training run {0} failed: {1}', run.info.name, end.message ?? ''));
    }),
  );

  // Runs started before a window reload train on: follow them again.
  void runs.reopenLive(runsRoot(context));

  return {
    runs: () => runs.all().map((r) => snapshot(r, r === runs.current, panels.session(r.id))),
    runsView: {
      folders: async () => (await tree.getChildren()).flatMap((n) => (n.kind === 'run' ? [n.folder] : [])),
      onDidChange: tree.onDidChangeTreeData,
    },
  };
}

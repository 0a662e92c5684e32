// Entry point: wires the runs, the analysis worker, the panels, the views and the commands.
import * as vscode from 'vscode';
import { AnalysisQueue, DEFAULT_QUEUE_LIMITS } from './analysis/analysisQueue';
import { AnalysisWorker } from './analysis/analysisWorker';
import { compareSnapshot, snapshot, sweepGroups, type CondensationLensApi } from './api';
import { registerLayerLenses } from './codeLens/register';
import { registerCommands } from './commands';
import { ANALYSIS_KEYS, analysisSettings, hostSettings, runsRoot } from './config';
import { CHECKPOINT_EDITOR_VIEW_TYPE, CheckpointEditorProvider } from './panel/checkpointEditor';
import { InspectorPanels, INSPECTOR_VIEW_TYPE } from './panel/inspectorPanels';
import { editorPanelHost } from './panel/panelHost';
import { RunManager } from './run/runManager';
import { RunStatusBar } from './statusBar';
import { PHASE_VIEW_TYPE, PhasePanels } from './phase/phasePanel';
import { registerSweepCommands } from './sweep/sweepCommands';
import { SweepManager } from './sweep/sweepManager';
import { METRICS_VIEW_ID, MetricsViewProvider } from './views/metricsView';
import { RUNS_VIEW_ID, RunsTreeProvider } from './views/runsTree';
import { FolderEvents } from './watch/folderEvents';
import { DisposableStore } from './lifecycle';
import { displayText, MAX_LINE_CHARS } from '../protocol/displayText';

export function activate(context: vscode.ExtensionContext): CondensationLensApi {
  // Everything the extension holds, disposed newest first: the views before the runs they show.
  const store = new DisposableStore();
  context.subscriptions.push(store);
  const log = store.add(vscode.window.createOutputChannel('Condensation Lens', { log: true }));
  const worker = store.add(new AnalysisWorker(context.asAbsolutePath('dist/analysisWorker.js')));
  const runs = store.add(
    new RunManager({
      queue: new AnalysisQueue(worker.execute, DEFAULT_QUEUE_LIMITS, worker.cancelRunning),
      settings: analysisSettings,
      debounceMs: () => hostSettings().debounceMs,
      pollMs: () => hostSettings().pollMs,
      log: (line) => log.info(line),
    }),
  );
  const showLog = vscode.l10n.t('Show Log');
  const reportError = (message: string) =>
    void vscode.window
      .showErrorMessage(displayText(message, MAX_LINE_CHARS), showLog)
      .then((c) => c === showLog && log.show());

  const host = editorPanelHost((run) => panels.show(run));
  const panels = store.add(new InspectorPanels(context.extensionUri, runs, host));
  const metrics = store.add(new MetricsViewProvider(context.extensionUri, runs, host));
  const sweeps = store.add(new SweepManager(runs, (line) => log.info(line)));
  const phases = store.add(new PhasePanels(context.extensionUri));
  const tree = store.add(
    new RunsTreeProvider(
      runs,
      () => runsRoot(context),
      { debounceMs: () => hostSettings().debounceMs, pollMs: () => hostSettings().pollMs },
      sweeps,
    ),
  );
  // The runs Compare may offer: the tree's runs and those of its sweeps.
  const treeFolders = async () =>
    (await tree.getChildren()).flatMap((n) => (n.kind === 'run' ? [n.folder] : n.kind === 'sweep' ? n.runs : []));
  store.add(new FolderEvents(runs));
  store.add(new RunStatusBar(runs));
  const commandContext = {
    extension: context,
    manager: runs,
    panels,
    reportError,
    refreshTree: () => tree.refresh(),
    treeFolders,
  };
  store.add(registerCommands(commandContext));
  store.add(registerSweepCommands({ ...commandContext, sweeps, phases }));
  store.add(registerLayerLenses(context, runs, panels));
  store.add(
    vscode.window.registerWebviewPanelSerializer(PHASE_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => phases.revive(panel, state),
    }),
  );
  store.add(
    vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => panels.revive(panel, state),
    }),
  );
  store.add(
    vscode.window.registerCustomEditorProvider(
      CHECKPOINT_EDITOR_VIEW_TYPE,
      new CheckpointEditorProvider(context.extensionUri, runs, host),
      { supportsMultipleEditorsPerDocument: true },
    ),
  );
  store.add(vscode.window.registerWebviewViewProvider(METRICS_VIEW_ID, metrics));
  // Several runs selected in the tree can be compared.
  store.add(vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: tree, canSelectMany: true }));
  store.add(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!ANALYSIS_KEYS.some((k) => e.affectsConfiguration(k))) return;
      panels.settingsChanged();
      metrics.settingsChanged();
      runs.reanalyseAll();
    }),
  );
  store.add(
    runs.onDidEnd(({ run, end }) => {
      if (end.status === 'failed')
        reportError(vscode.l10n.t('Training run {0} failed: {1}', run.info.name, end.message ?? ''));
    }),
  );

  // Runs started before a window reload train on: follow them again.
  void runs.reopenLive(runsRoot(context));
  void sweeps.reopenLive(runsRoot(context));

  return {
    runs: () => runs.all().map((r) => snapshot(r, r === runs.current, panels.session(r.id))),
    sweeps: () => sweeps.all().map((s) => ({ folder: s.folder, running: s.running, end: s.end?.status })),
    phaseDiagramOpen: (folder) => phases.isOpen(folder),
    compares: () => panels.compareSessions().map(compareSnapshot),
    runsView: {
      folders: async () => (await tree.getChildren()).flatMap((n) => (n.kind === 'run' ? [n.folder] : [])),
      sweeps: () => sweepGroups(tree),
      onDidChange: tree.onDidChangeTreeData,
    },
  };
}

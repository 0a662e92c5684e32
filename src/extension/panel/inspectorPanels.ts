// The inspector: one WebviewPanel per run, or per set of runs compared side by side, beside the code, restored
// after a reload.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { SavedPanelState } from '../../protocol/panel';
import { Disposable, DisposableStore, toDisposable } from '../lifecycle';
import type { RunManager } from '../run/runManager';
import type { RunSession } from '../run/runSession';
import { runLabels } from '../../protocol/runLabels';
import { connectWebview } from './connectWebview';
import type { PanelHost, PanelSession } from './panelSession';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const INSPECTOR_VIEW_TYPE = 'condensationLens.inspector';

/** A panel is keyed by the runs it shows, in order. */
const keyOf = (runs: readonly RunSession[]) => runs.map((r) => r.id).join('\n');

export class InspectorPanels extends Disposable {
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; session: PanelSession }>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: RunManager,
    private readonly host: PanelHost,
  ) {
    super();
    // Closing a panel ends its session (onDidDispose in attach).
    this._register(toDisposable(() => [...this.open.values()].forEach(({ panel }) => panel.dispose())));
  }

  /** Shows the run's inspector beside the active editor, creating it if needed. */
  show(run: RunSession): void {
    this.showRuns([run]);
  }

  /** One panel over these runs (Compare), or the run's inspector for one. */
  showRuns(runs: readonly RunSession[]): void {
    const existing = this.open.get(keyOf(runs));
    if (existing) {
      existing.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      INSPECTOR_VIEW_TYPE,
      this.title(runs),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(this.extensionUri),
    );
    this.attach(panel, runs);
  }

  /** Shows the run's inspector on `layer` at `step`; a hidden panel's webview reloads, so it is told once ready. */
  showLayer(run: RunSession, layer: string, step: number): void {
    const hidden = !this.open.get(run.id)?.panel.visible;
    this.show(run);
    this.open.get(run.id)?.session.select(layer, step, hidden);
  }

  /** The serializer's half: a panel from before the reload, whose webview saved its runs' folders. */
  revive(panel: vscode.WebviewPanel, state: unknown): void {
    const saved = state as SavedPanelState | undefined;
    // A webview's state is its own to write: anything but a list of folders is not a panel to restore.
    const entries: unknown[] = Array.isArray(saved?.runs) ? saved.runs : saved?.run ? [saved.run] : [];
    const folders = entries.map((r) => (r as { folder?: unknown } | null)?.folder);
    if (folders.length === 0 || !folders.every((f): f is string => typeof f === 'string')) {
      panel.dispose();
      return;
    }
    const runs = folders.map(
      (folder) => this.manager.get(folder) ?? this.manager.open({ name: basename(folder), target: { folder } }),
    );
    if (this.open.has(keyOf(runs))) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(this.extensionUri);
    this.attach(panel, runs);
  }

  /** The analysis settings changed. */
  settingsChanged(): void {
    for (const { session } of this.open.values()) session.settingsChanged();
  }

  /** The inspector of one run. */
  session(runId: string): PanelSession | undefined {
    return this.open.get(runId)?.session;
  }

  /** Every open panel over several runs. */
  compareSessions(): PanelSession[] {
    return [...this.open.values()].flatMap(({ session }) => (session.runs.length > 1 ? [session] : []));
  }

  private title(runs: readonly RunSession[]): string {
    if (runs.length === 1) return vscode.l10n.t('Condensation: {0}', runs[0].info.name);
    return vscode.l10n.t('Condensation: compare {0}', runLabels(runs.map((r) => r.info)).join(' · '));
  }

  private attach(panel: vscode.WebviewPanel, runs: readonly RunSession[]): void {
    const store = new DisposableStore();
    const { session } = store.add(connectWebview(panel.webview, this.host, runs[0]));
    session.showRuns(runs);
    const key = keyOf(runs);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'panel', this.title(runs));
    this.open.set(key, { panel, session });
    if (runs.length === 1)
      store.add(panel.onDidChangeViewState((e) => e.webviewPanel.active && this.manager.setCurrent(runs[0])));
    // A run's labels come from its run.json, which may be read after the panel opened.
    else {
      const retitle = () => {
        const title = this.title(runs);
        if (panel.title !== title) panel.title = title;
      };
      for (const run of runs) store.add(run.model.onDidChange(retitle));
    }
    store.add(
      panel.onDidDispose(() => {
        this.open.delete(key);
        store.dispose();
      }),
    );
  }
}

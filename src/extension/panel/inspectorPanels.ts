// The inspector: one WebviewPanel per run, beside the code, restored after a reload.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { SavedPanelState } from '../../protocol/panel';
import { Disposable, DisposableStore, toDisposable } from '../lifecycle';
import type { RunManager } from '../run/runManager';
import type { RunSession } from '../run/runSession';
import { connectWebview } from './connectWebview';
import type { PanelHost, PanelSession } from './panelSession';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const INSPECTOR_VIEW_TYPE = 'condensationLens.inspector';

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
    const existing = this.open.get(run.id);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      INSPECTOR_VIEW_TYPE,
      this.title(run),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(this.extensionUri),
    );
    this.attach(panel, run);
  }

  /** Shows the run's inspector on `layer` at `step`; a hidden panel's webview reloads, so it is told once ready. */
  showLayer(run: RunSession, layer: string, step: number): void {
    const hidden = !this.open.get(run.id)?.panel.visible;
    this.show(run);
    this.open.get(run.id)?.session.select(layer, step, hidden);
  }

  /** The serializer's half: a panel from before the reload, whose webview saved its run folder. */
  revive(panel: vscode.WebviewPanel, state: unknown): void {
    const folder: unknown = (state as SavedPanelState | undefined)?.run?.folder;
    if (typeof folder !== 'string') {
      panel.dispose();
      return;
    }
    const run = this.manager.get(folder) ?? this.manager.open({ name: basename(folder), target: { folder } });
    if (this.open.has(run.id)) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(this.extensionUri);
    this.attach(panel, run);
  }

  /** The analysis settings changed. */
  settingsChanged(): void {
    for (const { session } of this.open.values()) session.settingsChanged();
  }

  session(runId: string): PanelSession | undefined {
    return this.open.get(runId)?.session;
  }

  private title(run: RunSession): string {
    return vscode.l10n.t('Condensation: {0}', run.info.name);
  }

  private attach(panel: vscode.WebviewPanel, run: RunSession): void {
    const store = new DisposableStore();
    const { session } = store.add(connectWebview(panel.webview, this.host, run));
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'panel', this.title(run));
    this.open.set(run.id, { panel, session });
    store.add(panel.onDidChangeViewState((e) => e.webviewPanel.active && this.manager.setCurrent(run)));
    store.add(
      panel.onDidDispose(() => {
        this.open.delete(run.id);
        store.dispose();
      }),
    );
  }
}

// The inspector: one WebviewPanel per run, beside the code, restored after a reload.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { Envelope } from '../../protocol/messageHandler';
import type { HostMessage, SavedPanelState } from '../../protocol/panel';
import type { RunManager } from '../run/runManager';
import type { RunSession } from '../run/runSession';
import { PanelSession, type PanelHost } from './panelSession';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const INSPECTOR_VIEW_TYPE = 'condensationLens.inspector';

/** Connects a webview to a PanelSession for `run`; returns the session. */
export function connectWebview(
  webview: vscode.Webview,
  host: PanelHost,
  run: RunSession | undefined,
  disposables: vscode.Disposable[],
): PanelSession {
  const session = new PanelSession((m: Envelope<HostMessage>) => webview.postMessage(m), host, run);
  disposables.push(
    webview.onDidReceiveMessage((m) => session.receive(m)),
    session,
  );
  return session;
}

export class InspectorPanels implements vscode.Disposable {
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; session: PanelSession }>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: RunManager,
    private readonly host: PanelHost,
  ) {}

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

  dispose(): void {
    for (const { panel } of [...this.open.values()]) panel.dispose();
  }

  private title(run: RunSession): string {
    return vscode.l10n.t('Condensation: {0}', run.info.name);
  }

  private attach(panel: vscode.WebviewPanel, run: RunSession): void {
    const disposables: vscode.Disposable[] = [];
    const session = connectWebview(panel.webview, this.host, run, disposables);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'panel', this.title(run));
    this.open.set(run.id, { panel, session });
    panel.onDidChangeViewState((e) => e.webviewPanel.active && this.manager.setCurrent(run), undefined, disposables);
    panel.onDidDispose(() => {
      this.open.delete(run.id);
      vscode.Disposable.from(...disposables).dispose();
    });
  }
}

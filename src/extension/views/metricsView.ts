// The "Live Metrics" side-bar view: the current run's status and a sparkline per layer.
import * as vscode from 'vscode';
import type { RunManager } from '../run/runManager';
import { connectWebview } from '../panel/inspectorPanels';
import type { PanelHost, PanelSession } from '../panel/panelSession';
import { webviewHtml, webviewOptions } from '../panel/webviewHtml';

export const METRICS_VIEW_ID = 'condensationLens.liveMetrics';

export class MetricsViewProvider implements vscode.WebviewViewProvider {
  private session: PanelSession | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: RunManager,
    private readonly host: PanelHost,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    const disposables: vscode.Disposable[] = [];
    const session = connectWebview(view.webview, this.host, this.manager.current, disposables);
    disposables.push(this.manager.onDidChange(() => session.show(this.manager.current)));
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'sidebar', vscode.l10n.t('Live Metrics'));
    this.session = session;
    view.onDidDispose(() => {
      if (this.session === session) this.session = undefined;
      vscode.Disposable.from(...disposables).dispose();
    });
  }

  settingsChanged(): void {
    this.session?.settingsChanged();
  }
}

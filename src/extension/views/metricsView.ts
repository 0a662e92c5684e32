// The "Live Metrics" side-bar view: the current run's status and a sparkline per layer.
import * as vscode from 'vscode';
import { Disposable, DisposableStore, MutableDisposable } from '../lifecycle';
import type { RunManager } from '../run/runManager';
import { connectWebview } from '../panel/connectWebview';
import type { PanelHost, PanelSession } from '../panel/panelSession';
import { webviewHtml, webviewOptions } from '../panel/webviewHtml';

export const METRICS_VIEW_ID = 'condensationLens.liveMetrics';

export class MetricsViewProvider extends Disposable implements vscode.WebviewViewProvider {
  /** What the view resolved last holds: its session and its listener on the current run. */
  private readonly view = this._register(new MutableDisposable<DisposableStore>());
  private session: PanelSession | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: RunManager,
    private readonly host: PanelHost,
  ) {
    super();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    const store = new DisposableStore();
    const { session } = store.add(connectWebview(view.webview, this.host, this.manager.current));
    store.add(this.manager.onDidChange(() => session.show(this.manager.current)));
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'sidebar', vscode.l10n.t('Live Metrics'));
    this.session = session;
    this.view.value = store;
    store.add(
      view.onDidDispose(() => {
        if (this.session === session) this.session = undefined;
        if (this.view.value === store) this.view.value = undefined;
        store.dispose();
      }),
    );
  }

  settingsChanged(): void {
    this.session?.settingsChanged();
  }
}

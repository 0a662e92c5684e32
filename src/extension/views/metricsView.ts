// The "Live Metrics" side-bar view: every live run in a list, and the current run's status and a
// sparkline per layer.
import * as vscode from 'vscode';
import type { RunManager } from '../run/runManager';
import { connectWebview } from '../panel/inspectorPanels';
import type { PanelHost, PanelSession } from '../panel/panelSession';

/** The list of live runs is sent at most this often (step lines come many times a second). */
const LIST_REFRESH_MS = 250;
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
    const host: PanelHost = {
      ...this.host,
      selectRun: (id) => {
        const run = this.manager.get(id);
        if (run) this.manager.setCurrent(run);
      },
    };
    const session = connectWebview(view.webview, host, this.manager.current, disposables);
    let timer: NodeJS.Timeout | undefined;
    const sendList = () => {
      timer = undefined;
      session.setRunList(this.manager.liveSummaries());
    };
    disposables.push(
      this.manager.onDidChange(() => {
        session.show(this.manager.current);
        sendList();
      }),
      this.manager.onDidChangeRun(() => (timer ??= setTimeout(sendList, LIST_REFRESH_MS))),
      { dispose: () => clearTimeout(timer) },
    );
    sendList();
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

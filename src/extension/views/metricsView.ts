// The "Live Metrics" side-bar view: every live run in a list, and the current run's status and a
// sparkline per layer.
import * as vscode from 'vscode';
import { Disposable, DisposableStore, MutableDisposable, toDisposable } from '../lifecycle';
import type { RunManager } from '../run/runManager';
import { connectWebview } from '../panel/connectWebview';
import type { PanelHost, PanelSession } from '../panel/panelSession';

/** The list of live runs is sent at most this often (step lines come many times a second). */
const LIST_REFRESH_MS = 250;
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
    const host: PanelHost = {
      ...this.host,
      selectRun: (id) => {
        const run = this.manager.get(id);
        if (run) this.manager.setCurrent(run);
      },
    };
    const { session } = store.add(connectWebview(view.webview, host, this.manager.current));
    let timer: NodeJS.Timeout | undefined;
    const sendList = () => {
      timer = undefined;
      session.setRunList(this.manager.liveSummaries());
    };
    store.add(
      this.manager.onDidChange(() => {
        session.show(this.manager.current);
        sendList();
      }),
    );
    store.add(this.manager.onDidChangeRun(() => (timer ??= setTimeout(sendList, LIST_REFRESH_MS))));
    store.add(toDisposable(() => clearTimeout(timer)));
    sendList();
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

// Wires one webview (inspector panel, checkpoint editor or side-bar view) to a PanelSession.
import type * as vscode from 'vscode';
import type { Envelope } from '../../protocol/messageHandler';
import type { HostMessage } from '../../protocol/panel';
import type { Disposable } from '../events';
import { DisposableStore } from '../lifecycle';
import type { RunSession } from '../run/runSession';
import { PanelSession, type PanelHost } from './panelSession';

/** A webview's session; disposing it stops listening to the webview and ends the session. */
export interface WebviewConnection extends Disposable {
  readonly session: PanelSession;
}

/** Connects `webview` to a new PanelSession showing `run`. */
export function connectWebview(
  webview: vscode.Webview,
  host: PanelHost,
  run: RunSession | undefined,
): WebviewConnection {
  const store = new DisposableStore();
  const session = store.add(new PanelSession((m: Envelope<HostMessage>) => webview.postMessage(m), host, run));
  store.add(webview.onDidReceiveMessage((m) => session.receive(m)));
  return { session, dispose: () => store.dispose() };
}

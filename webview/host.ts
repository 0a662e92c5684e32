// The channel to the extension host (or, in a standalone report, to the inlined data).
import type { HostMessage, WebviewMessage } from '../src/protocol/panel';
import { MessageHandler, type Envelope } from '../src/protocol/messageHandler';
import { REPORT_GLOBAL } from '../src/report/standalonePage';
import { reportApi } from './reportHost';

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  interface Window {
    acquireVsCodeApi?: () => VsCodeApi;
    [REPORT_GLOBAL]?: unknown;
  }
}

export interface HostChannel {
  api: VsCodeApi;
  handler: MessageHandler<WebviewMessage, HostMessage>;
  /** True in a standalone report (no extension host behind the page). */
  standalone: boolean;
}

/** Connects to the host and passes every unsolicited host message to `onMessage`; then says `ready`. */
export function connectHost(onMessage: (m: HostMessage) => void): HostChannel {
  const standalone = typeof window.acquireVsCodeApi !== 'function' && window[REPORT_GLOBAL] !== undefined;
  const api = standalone ? reportApi(window[REPORT_GLOBAL]) : acquire();
  const handler = new MessageHandler<WebviewMessage, HostMessage>(
    (m) => api.postMessage(m),
    (m) => {
      onMessage(m);
      return undefined;
    },
  );
  window.addEventListener('message', (e: MessageEvent<Envelope<HostMessage>>) => {
    if (e.data && typeof e.data === 'object' && 'body' in e.data) void handler.receive(e.data);
  });
  return { api, handler, standalone };
}

function acquire(): VsCodeApi {
  if (typeof window.acquireVsCodeApi === 'function') return window.acquireVsCodeApi();
  // Opened outside VS Code without report data: a page that only keeps its state in memory.
  let state: unknown;
  return { postMessage: () => undefined, getState: () => state, setState: (s) => (state = s) };
}

// Entry of dist/webview/phase.js: the Phase Diagram view. It says `ready`, then draws each `phase` message and
// keeps its folder as the webview's state.
import type { PhaseDiagramMessage, PhaseReadyMessage } from '../src/protocol/phase';
import { drawPhaseDiagram } from './phaseApp';

declare function acquireVsCodeApi(): {
  postMessage(message: PhaseReadyMessage): void;
  setState(state: { source: string }): void;
};

const vscode = acquireVsCodeApi();
window.addEventListener('message', (e: MessageEvent<PhaseDiagramMessage>) => {
  if (e.data?.type !== 'phase') return;
  drawPhaseDiagram(document.body, e.data);
  // The folder, for the panel to come back after a window reload.
  vscode.setState({ source: e.data.source });
});
vscode.postMessage({ type: 'ready' });

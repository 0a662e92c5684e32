// Entry of dist/webview/phase.js: the Phase Diagram view. It says `ready`, then draws each `phase` message.
import type { PhaseDiagramMessage, PhaseReadyMessage } from '../src/protocol/phase';
import { drawPhaseDiagram } from './phaseApp';

declare function acquireVsCodeApi(): { postMessage(message: PhaseReadyMessage): void };

const vscode = acquireVsCodeApi();
window.addEventListener('message', (e: MessageEvent<PhaseDiagramMessage>) => {
  if (e.data?.type === 'phase') drawPhaseDiagram(document.body, e.data);
});
vscode.postMessage({ type: 'ready' });

// Entry of dist/webview/panel.js: the inspector panel (also the standalone HTML report).
import { startPanel } from './panelApp';

startPanel(document.body);

// The HTML shell of every webview (inspector, Live Metrics, Phase Diagram): strict CSP with a nonce, only the extension's built files.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../../report/standalonePage';

export type WebviewKind = 'panel' | 'sidebar' | 'phase';

/** Each webview's bundle and style sheet in dist/webview/, and what its page may load besides them. */
const BUNDLES: Record<WebviewKind, { script: string; style: string; assets: boolean }> = {
  panel: { script: 'panel.js', style: 'panel.css', assets: true },
  sidebar: { script: 'sidebar.js', style: 'panel.css', assets: true },
  phase: { script: 'phase.js', style: 'phase.css', assets: false },
};

/** Scripts on, and nothing readable but the extension's dist/ and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  kind: WebviewKind,
  title: string,
): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  const src = webview.cspSource;
  const bundle = BUNDLES[kind];
  // Images, fonts and connect-src for the inspector's views: the HTML export fetches the panel's own bundle to inline
  // it. The phase diagram draws SVG and needs none of them.
  const assets = bundle.assets ? ` img-src ${src} data:; font-src ${src}; connect-src ${src};` : '';
  const csp = `default-src 'none'; style-src ${src}; script-src 'nonce-${nonce}';${assets}`;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset(bundle.style)}">
<title>${escapeHtml(title)}</title>
</head>
<body data-view="${kind}">
<script nonce="${nonce}" src="${asset(bundle.script)}"></script>
</body>
</html>`;
}

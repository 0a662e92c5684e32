// The HTML shell of both webviews: strict CSP with a nonce, only the extension's built files.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../../report/standalonePage';

export type WebviewKind = 'panel' | 'sidebar';

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
  // connect-src: the HTML export fetches the panel's own bundle to inline it.
  const csp = `default-src 'none'; img-src ${src} data:; style-src ${src}; script-src 'nonce-${nonce}'; font-src ${src}; connect-src ${src};`;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('panel.css')}">
<title>${escapeHtml(title)}</title>
</head>
<body data-view="${kind}">
<script nonce="${nonce}" src="${asset(kind === 'panel' ? 'panel.js' : 'sidebar.js')}"></script>
</body>
</html>`;
}

// The Phase Diagram view: one webview panel per phase folder, drawing its phase.json (webview/phaseApp.ts).
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PHASE_FILE, parsePhaseFile, type PhaseDiagramMessage } from '../../protocol/phase';
import { Disposable, toDisposable } from '../lifecycle';
import { webviewOptions } from '../panel/webviewHtml';
import { escapeHtml } from '../../report/standalonePage';

export const PHASE_VIEW_TYPE = 'condensationLens.phaseDiagram';

/** Strict CSP with a nonce; only the extension's own phase bundle and style sheet. */
function phaseHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  const csp = `default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('phase.css')}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<script nonce="${nonce}" src="${asset('phase.js')}"></script>
</body>
</html>`;
}

export class PhasePanels extends Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(private readonly extensionUri: vscode.Uri) {
    super();
    this._register(
      toDisposable(() => {
        for (const p of this.panels.values()) p.dispose();
        this.panels.clear();
      }),
    );
  }

  /** Whether the panel of `folder` is open (for the end-to-end tests). */
  isOpen(folder: string): boolean {
    return this.panels.has(resolve(folder));
  }

  /** Reads `folder`/phase.json and shows it (the panel of that folder if open); throws naming the file. */
  async show(folder: string): Promise<void> {
    const key = resolve(folder);
    const path = join(key, PHASE_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      const why = missing ? 'no such file; `condensation-lens phase` writes it when it ends' : (e as Error).message;
      throw new Error(`${path}: ${why}`, { cause: e });
    }
    const message: PhaseDiagramMessage = { type: 'phase', source: key, points: parsePhaseFile(text, path) };
    const open = this.panels.get(key);
    if (open) {
      open.reveal();
      void open.webview.postMessage(message);
      return;
    }
    const title = vscode.l10n.t('Phase Diagram: {0}', basename(key));
    const panel = vscode.window.createWebviewPanel(
      PHASE_VIEW_TYPE,
      title,
      vscode.ViewColumn.Beside,
      webviewOptions(this.extensionUri),
    );
    this.panels.set(key, panel);
    panel.onDidDispose(() => this.panels.delete(key));
    // The view asks once it listens; a reload of the webview asks again.
    panel.webview.onDidReceiveMessage((m: { type?: string }) => {
      if (m?.type === 'ready') void panel.webview.postMessage(message);
    });
    panel.webview.html = phaseHtml(panel.webview, this.extensionUri, title);
  }
}

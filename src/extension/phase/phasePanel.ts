// The Phase Diagram view: one webview panel per phase folder, drawing its phase.json (webview/phaseApp.ts).
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PHASE_FILE, parsePhaseFile, type PhaseDiagramMessage } from '../../protocol/phase';
import { Disposable, toDisposable } from '../lifecycle';
import { webviewHtml, webviewOptions } from '../panel/webviewHtml';

export const PHASE_VIEW_TYPE = 'condensationLens.phaseDiagram';

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
    const message = await readPhaseMessage(key);
    const open = this.panels.get(key);
    if (open) {
      open.reveal();
      void open.webview.postMessage(message);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PHASE_VIEW_TYPE,
      phaseTitle(key),
      vscode.ViewColumn.Beside,
      webviewOptions(this.extensionUri),
    );
    this.adopt(panel, key, message);
  }

  /** A panel VS Code restores after a window reload: its folder is in the state the view saved. */
  async revive(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const source = (state as { source?: unknown } | undefined)?.source;
    if (typeof source !== 'string') return panel.dispose();
    const key = resolve(source);
    try {
      panel.webview.options = webviewOptions(this.extensionUri);
      this.adopt(panel, key, await readPhaseMessage(key));
    } catch {
      panel.dispose(); // the folder is gone
    }
  }

  private adopt(panel: vscode.WebviewPanel, key: string, message: PhaseDiagramMessage): void {
    this.panels.get(key)?.dispose();
    this.panels.set(key, panel);
    panel.onDidDispose(() => this.panels.get(key) === panel && this.panels.delete(key));
    // The view asks once it listens; a reload of the webview asks again.
    panel.webview.onDidReceiveMessage((m: { type?: string }) => {
      if (m?.type === 'ready') void panel.webview.postMessage(message);
    });
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'phase', phaseTitle(key));
  }
}

function phaseTitle(folder: string): string {
  return vscode.l10n.t('Phase Diagram: {0}', basename(folder));
}

/** The view's message for the phase folder `folder`; throws naming phase.json and what is wrong. */
async function readPhaseMessage(folder: string): Promise<PhaseDiagramMessage> {
  const path = join(folder, PHASE_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    const why = missing ? 'no such file; `condensation-lens phase` writes it when it ends' : (e as Error).message;
    throw new Error(`${path}: ${why}`, { cause: e });
  }
  return { type: 'phase', source: folder, points: parsePhaseFile(text, path) };
}

// A read-only custom editor for checkpoint files: clicking one in the Explorer opens the
// single-checkpoint inspector (its layers at that one step, with detail on demand).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { RunManager } from '../run/runManager';
import type { PanelHost } from './panelSession';
import { connectWebview } from './inspectorPanels';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const CHECKPOINT_EDITOR_VIEW_TYPE = 'condensationLens.checkpoint';

export class CheckpointEditorProvider implements vscode.CustomReadonlyEditorProvider {
  /** Editors open per checkpoint: its run is closed with the last one. */
  private readonly editors = new Map<string, number>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: RunManager,
    private readonly host: PanelHost,
  ) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const { uri } = document;
    panel.webview.options = webviewOptions(this.extensionUri);
    if (uri.scheme !== 'file') {
      panel.webview.html = `<!DOCTYPE html><html><body>${vscode.l10n.t('Condensation Lens reads checkpoints on the file system only, not {0}.', uri.scheme)}</body></html>`;
      return;
    }
    const run = this.manager.open({ name: basename(uri.fsPath), target: { file: uri.fsPath } }, { makeCurrent: false });
    this.editors.set(run.id, (this.editors.get(run.id) ?? 0) + 1);
    const disposables: vscode.Disposable[] = [];
    connectWebview(panel.webview, this.host, run, disposables);
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'panel', basename(uri.fsPath));
    panel.onDidDispose(() => {
      vscode.Disposable.from(...disposables).dispose();
      const left = (this.editors.get(run.id) ?? 1) - 1;
      if (left > 0) this.editors.set(run.id, left);
      else {
        this.editors.delete(run.id);
        this.manager.close(run);
      }
    });
  }
}

// A read-only custom editor for checkpoint files: clicking one in the Explorer opens the
// single-checkpoint inspector (its layers at that one step, with detail on demand).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { Disposable, toDisposable } from '../lifecycle';
import type { RunManager } from '../run/runManager';
import type { RunSession } from '../run/runSession';
import { connectWebview } from './connectWebview';
import type { PanelHost } from './panelSession';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const CHECKPOINT_EDITOR_VIEW_TYPE = 'condensationLens.checkpoint';

/** One checkpoint file and its run; VS Code disposes it when the last editor showing it closes, which closes the run. */
class CheckpointDocument extends Disposable implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly run: RunSession | undefined,
    manager: RunManager,
  ) {
    super();
    if (run) this._register(toDisposable(() => manager.close(run)));
  }
}

export class CheckpointEditorProvider implements vscode.CustomReadonlyEditorProvider<CheckpointDocument> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly manager: RunManager,
    private readonly host: PanelHost,
  ) {}

  openCustomDocument(uri: vscode.Uri): CheckpointDocument {
    const run =
      uri.scheme === 'file'
        ? this.manager.open({ name: basename(uri.fsPath), target: { file: uri.fsPath } }, { makeCurrent: false })
        : undefined;
    return new CheckpointDocument(uri, run, this.manager);
  }

  resolveCustomEditor(document: CheckpointDocument, panel: vscode.WebviewPanel): void {
    const { uri, run } = document;
    panel.webview.options = webviewOptions(this.extensionUri);
    if (!run) {
      panel.webview.html = `<!DOCTYPE html><html><body>${vscode.l10n.t('Condensation Lens reads checkpoints on the file system only, not {0}.', uri.scheme)}</body></html>`;
      return;
    }
    const connection = connectWebview(panel.webview, this.host, run);
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'panel', basename(uri.fsPath));
    panel.onDidDispose(() => connection.dispose());
  }
}

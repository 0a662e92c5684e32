// What a webview may ask of the editor: settings, saving an export, opening the inspector.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { panelSettings } from '../config';
import type { RunSession } from '../run/runSession';
import type { PanelHost } from './panelSession';
import type { ExportFormat } from '../../protocol/panel';

const EXPORT_FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  svg: { SVG: ['svg'] },
  png: { PNG: ['png'] },
  csv: { CSV: ['csv'] },
  html: { HTML: ['html'] },
};

/** A PNG arrives as a data URL; SVG, CSV and HTML as text. */
function exportBytes(format: ExportFormat, data: string): Uint8Array {
  if (format === 'png') return Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64');
  return Buffer.from(data, 'utf8');
}

export function editorPanelHost(openPanel: (run: RunSession) => void): PanelHost {
  return {
    settings: panelSettings,
    openPanel,
    save: async (format, suggestedName, data) => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        // The name comes from the webview: only its last segment is used, inside the workspace folder.
        defaultUri: folder ? vscode.Uri.joinPath(folder, basename(suggestedName)) : undefined,
        filters: EXPORT_FILTERS[format],
      });
      if (!target) return undefined;
      try {
        await vscode.workspace.fs.writeFile(target, exportBytes(format, data));
        void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}', vscode.workspace.asRelativePath(target)));
        return vscode.workspace.asRelativePath(target);
      } catch (e) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Could not save {0}: {1}', target.fsPath, (e as Error).message),
        );
        return undefined;
      }
    },
  };
}

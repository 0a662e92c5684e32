// Wires the layer lenses: the CodeLens and hover providers, Link Model Source… and the lens's click.
import * as vscode from 'vscode';
import { extname } from 'node:path';
import { LANGUAGE_OF_EXTENSION, SOURCE_RULES } from '../../core/source/match';
import { argPath, type PathArg } from '../commandArgs';
import type { InspectorPanels } from '../panel/inspectorPanels';
import type { RunManager } from '../run/runManager';
import { LayerLenses, OPEN_LAYER_COMMAND, type OpenLayerArgs } from './layerLenses';
import { ModelSources } from './modelSources';

export const LINK_COMMAND = 'condensationLens.linkModelSource';

/** `{ run, source }` from scripts and tests; a Runs tree node or a path from the menus and the palette. */
type LinkArgs = PathArg | { run?: string; source?: string };

function openLayer(manager: RunManager, panels: InspectorPanels, args: OpenLayerArgs): string | undefined {
  const run = manager.get(args.run);
  if (!run) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The run {0} is no longer open.', args.run));
    return undefined;
  }
  manager.setCurrent(run);
  panels.showLayer(run, args.layer, args.step);
  return run.id;
}

async function pickSource(): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  const choose = vscode.l10n.t('Choose a file…');
  if (active?.uri.scheme === 'file' && SOURCE_RULES[active.languageId]) {
    const picked = await vscode.window.showQuickPick([vscode.workspace.asRelativePath(active.uri), choose], {
      title: vscode.l10n.t('Link Model Source'),
      placeHolder: vscode.l10n.t('The file that defines the model of this run'),
    });
    if (picked !== choose) return picked === undefined ? undefined : active.uri.fsPath;
  }
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: vscode.l10n.t('Link Model Source'),
    filters: { [vscode.l10n.t('Model source')]: Object.keys(LANGUAGE_OF_EXTENSION).map((e) => e.slice(1)) },
  });
  return files?.[0]?.fsPath;
}

async function linkModelSource(manager: RunManager, sources: ModelSources, arg: LinkArgs): Promise<string | undefined> {
  const named = typeof arg === 'object' && arg !== null && ('run' in arg || 'source' in arg) ? arg : undefined;
  const folder = named?.run ?? argPath(arg) ?? manager.current?.folder;
  if (!folder) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No run yet: start a training run or open a run folder.'));
    return undefined;
  }
  const source = named?.source ?? (await pickSource());
  if (!source) return undefined;
  if (!LANGUAGE_OF_EXTENSION[extname(source).toLowerCase()]) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('{0}: only {1} files can be model sources.', source, Object.keys(LANGUAGE_OF_EXTENSION).join(', ')),
    );
    return undefined;
  }
  const where = await sources.link(folder, source, vscode.workspace.isTrusted);
  if (where === 'workspace')
    void vscode.window.showInformationMessage(
      vscode.l10n.t('{0} cannot be written: the link is kept in this workspace instead.', folder),
    );
  return source;
}

export function registerLayerLenses(
  context: vscode.ExtensionContext,
  manager: RunManager,
  panels: InspectorPanels,
): vscode.Disposable {
  const sources = new ModelSources(context.workspaceState);
  const lenses = new LayerLenses(manager, sources);
  const selector = Object.keys(SOURCE_RULES).map((language) => ({ language, scheme: 'file' }));
  return vscode.Disposable.from(
    lenses,
    sources,
    vscode.languages.registerCodeLensProvider(selector, lenses),
    vscode.languages.registerHoverProvider(selector, lenses),
    vscode.commands.registerCommand(OPEN_LAYER_COMMAND, (args: OpenLayerArgs) => openLayer(manager, panels, args)),
    vscode.commands.registerCommand(LINK_COMMAND, (arg: LinkArgs) => linkModelSource(manager, sources, arg)),
  );
}

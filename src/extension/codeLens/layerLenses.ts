// Cluster counts above each layer's definition in the model's source, with a hover and a click
// that opens the inspector there. Answers from the runs' cached series only; never analyses.
import * as vscode from 'vscode';
import { locateLayers, locatedShare, MATCH_SHARE, SOURCE_RULES, type LayerLocation } from '../../core/source/match';
import { SETTINGS_SECTION } from '../run/launch';
import type { RunManager } from '../run/runManager';
import type { RunSession } from '../run/runSession';
import { Disposable, MutableDisposable, toDisposable } from '../lifecycle';
import { hostSettings } from '../config';
import { HOST_SETTING_KEYS } from '../settingsTable';
import { REFRESH_MS } from '../statusBar';
import { hoverMarkdown, lensSummary } from './lensText';
import { ModelSources } from './modelSources';

export const OPEN_LAYER_COMMAND = 'condensationLens.openLayer';

/** The argument of a lens's click. */
export interface OpenLayerArgs {
  run: string;
  layer: string;
  step: number;
}

interface Matched {
  run: RunSession;
  locations: LayerLocation[];
}

export class LayerLenses extends Disposable implements vscode.CodeLensProvider, vscode.HoverProvider {
  private readonly _onDidChangeCodeLenses = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this._onDidChangeCodeLenses.event;
  private readonly located = new Map<string, { key: string; locations: LayerLocation[] }>();
  /** The listeners on every run's model, replaced whenever the runs change. */
  private readonly listeners = this._register(new MutableDisposable());
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly manager: RunManager,
    private readonly sources: ModelSources,
  ) {
    super();
    this._register(toDisposable(() => clearTimeout(this.timer)));
    this._register(manager.onDidChange(() => this.follow()));
    this._register(sources.onDidChange(() => this.schedule()));
    this._register(
      vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration(`${SETTINGS_SECTION}.${HOST_SETTING_KEYS.codeLensEnabled}`) && this.schedule(),
      ),
    );
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this.located.delete(d.uri.toString())));
    this.follow();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const matched = this.match(document);
    if (!matched) return [];
    const { run, locations } = matched;
    return locations.flatMap((location) => {
      const summary = lensSummary(location, (l) => run.model.analysed(l));
      if (!summary) return [];
      const args: OpenLayerArgs = { run: run.id, layer: summary.layer, step: summary.step };
      const line = location.range.start.line;
      return [
        new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: summary.title,
          tooltip: vscode.l10n.t('Open {0} at step {1} in the inspector', summary.layer, summary.step),
          command: OPEN_LAYER_COMMAND,
          arguments: [args],
        }),
      ];
    });
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const matched = this.match(document);
    const location = matched?.locations.find((l) => toRange(l.nameRange).contains(position));
    if (!matched || !location) return undefined;
    const text = hoverMarkdown(location, (l) => matched.run.model.analysed(l), matched.run.info.name);
    return text === undefined
      ? undefined
      : new vscode.Hover(new vscode.MarkdownString(text), toRange(location.nameRange));
  }

  /** The run this document defines: one linked to it, else the current run when its layer names are found here. */
  private match(document: vscode.TextDocument): Matched | undefined {
    if (!hostSettings().codeLensEnabled) return undefined;
    if (!SOURCE_RULES[document.languageId] || document.uri.scheme !== 'file') return undefined;
    const path = document.uri.fsPath;
    const linked = this.manager.all().find((r) => this.sources.of(r.folder) === path && r.model.layers.length > 0);
    if (linked) return { run: linked, locations: this.locate(document, linked) };
    const current = this.manager.current;
    // A run linked to another file is not matched by its names.
    if (!current || current.model.layers.length === 0 || this.sources.of(current.folder) !== undefined)
      return undefined;
    const locations = this.locate(document, current);
    return locatedShare(locations, current.model.layers) >= MATCH_SHARE ? { run: current, locations } : undefined;
  }

  /** Locations of the run's layers in the document, parsed again only when the text or the layers changed. */
  private locate(document: vscode.TextDocument, run: RunSession): LayerLocation[] {
    const layers = run.model.layers;
    const key = `${document.version}\n${run.id}\n${layers.join('\n')}`;
    const uri = document.uri.toString();
    const cached = this.located.get(uri);
    if (cached?.key === key) return cached.locations;
    const locations = locateLayers(document.getText(), document.languageId, layers) ?? [];
    this.located.set(uri, { key, locations });
    return locations;
  }

  /** Listens to every run's model (a linked run need not be the current one). */
  private follow(): void {
    const listeners = this.manager.all().map((r) => r.model.onDidChange(() => this.schedule()));
    this.listeners.value = toDisposable(() => listeners.forEach((l) => l.dispose()));
    for (const r of this.manager.all()) this.sources.load(r.folder);
    this.schedule();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this._onDidChangeCodeLenses.fire();
    }, REFRESH_MS);
  }
}

function toRange(r: LayerLocation['range']): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

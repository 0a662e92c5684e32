// The status-bar item of the current run, with how many runs are live and each one's latest figure on
// hover; clicking it opens the inspector.
import * as vscode from 'vscode';
import type { RunManager } from './run/runManager';
import { Disposable, MutableDisposable, toDisposable } from './lifecycle';
import { statusLine, statusText } from './statusText';

/** Status updates at most this often (progress lines can come many times a second). */
export const REFRESH_MS = 250;

export class RunStatusBar extends Disposable {
  private readonly item = this._register(
    vscode.window.createStatusBarItem('condensationLens.status', vscode.StatusBarAlignment.Left, 10),
  );
  /** The listener on the current run's model. */
  private readonly listener = this._register(new MutableDisposable());
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly manager: RunManager) {
    super();
    this.item.name = vscode.l10n.t('Condensation Lens');
    this.item.command = 'condensationLens.showInspector';
    this._register(manager.onDidChange(() => this.follow()));
    this._register(manager.onDidChangeRun((run) => run !== manager.current && this.schedule()));
    this._register(toDisposable(() => clearTimeout(this.timer)));
    this.follow();
  }

  private follow(): void {
    this.listener.value = this.manager.current?.model.onDidChange(() => this.schedule());
    this.render();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, REFRESH_MS);
  }

  private render(): void {
    const run = this.manager.current;
    if (!run) {
      this.item.hide();
      return;
    }
    const info = run.model.info;
    const live = this.manager.live();
    const count = live.length > 1 ? vscode.l10n.t('{0} runs live', live.length) + ' · ' : '';
    this.item.text = count + statusText(info, run.model.latest);
    const current = info.message ? `${info.name}: ${info.message}\n${info.folder}` : `${info.name}\n${info.folder}`;
    const others = live.filter((r) => r !== run).map((r) => statusLine(r.info, r.model.latest));
    this.item.tooltip = [current, ...others].join('\n');
    this.item.backgroundColor =
      info.status === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }
}

// The host end of one webview (inspector panel, Compare panel or Live Metrics view): answers `ready` with the
// whole state of its runs, then sends what changed in them, batched, and answers `detail` requests.
// No vscode: the webview is reached through `post`, and the editor through `PanelHost`.
import { MessageHandler, type Envelope } from '../../protocol/messageHandler';
import { initMessage } from '../../protocol/initMessage';
import type { ExportFormat, HostMessage, PanelSettings, RunSummary, WebviewMessage } from '../../protocol/panel';
import { parseWebviewEnvelope } from '../../protocol/validate';
import { Disposable, DisposableStore, MutableDisposable, toDisposable } from '../lifecycle';
import type { RunSession } from '../run/runSession';
import { RunFeed } from './runFeed';

/** What a webview may ask of the editor. */
export interface PanelHost {
  /** The editor's settings: the defaults a new panel starts from. */
  settings(): PanelSettings;
  /** Asks where to save and writes the file; resolves with its path, or undefined when the user cancelled. */
  save(format: ExportFormat, suggestedName: string, data: string): Promise<string | undefined>;
  openPanel(run: RunSession): void;
  /** Live Metrics: show another run (picked from its list of live runs). */
  selectRun?(id: string): void;
}

/** How often changes are sent to the webview at most (charts redraw once per batch). */
export const FLUSH_INTERVAL_MS = 100;

export class PanelSession extends Disposable {
  private readonly handler: MessageHandler<HostMessage, WebviewMessage>;
  /** The runs shown, in order: one, several compared, or none (Live Metrics with no run). */
  private feeds: RunFeed[] = [];
  private readonly runListeners = this._register(new MutableDisposable<DisposableStore>());
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  /** A selection asked for before the webview was ready, sent after its `init`. */
  private pendingSelect: Extract<HostMessage, { type: 'select' }> | undefined;
  /** The last layer and step the webview was asked to show (`select`), once posted. */
  selected: { layer: string; step: number } | undefined;
  private lastFlush = -Infinity;
  private runList: RunSummary[] | undefined;

  constructor(
    private readonly post: (message: Envelope<HostMessage>) => PromiseLike<boolean>,
    private readonly host: PanelHost,
    run?: RunSession,
  ) {
    super();
    this.handler = new MessageHandler<HostMessage, WebviewMessage>(
      (m) => void this.post(m),
      (body) => this.answer(body),
    );
    this._register(toDisposable(() => this.handler.dispose()));
    this._register(toDisposable(() => clearTimeout(this.timer)));
    if (run) this.show(run);
  }

  /** True once the webview has announced `ready` and received its state. */
  get isReady(): boolean {
    return this.ready && this.feeds.length > 0;
  }

  /** The runs shown, in order. */
  get runs(): RunSession[] {
    return this.feeds.map((f) => f.run);
  }

  /** Points of each layer of a run that the webview has received. */
  delivered(runId: string): ReadonlyMap<string, number> {
    return this.feeds.find((f) => f.run.id === runId)?.delivered ?? new Map();
  }

  /** Feed every message from the webview here; malformed ones are ignored. */
  receive(raw: unknown): Promise<void> {
    const envelope = parseWebviewEnvelope(raw);
    return envelope ? this.handler.receive(envelope) : Promise.resolve();
  }

  /** Shows another run (the side bar follows the current run). */
  show(run: RunSession | undefined): void {
    this.showRuns(run ? [run] : []);
  }

  /** Shows these runs, in order (Compare). */
  showRuns(runs: readonly RunSession[]): void {
    if (runs.length === this.feeds.length && runs.every((r, i) => r === this.feeds[i].run)) return;
    this.feeds = runs.map((r) => new RunFeed(r));
    const listeners = new DisposableStore();
    for (const run of runs)
      listeners.add(
        run.model.onDidChange((change) => {
          if (change.kind === 'problem') this.send({ type: 'problem', run: run.id, problem: change.problem });
          else this.schedule();
        }),
      );
    this.runListeners.value = listeners;
    if (!this.ready) return;
    if (runs.length > 0) this.sendInit();
    else this.send({ type: 'cleared' });
  }

  /** Shows `layer` at `step` in the webview: now, or after its next `ready` (not ready yet, or reloading). */
  select(layer: string, step: number, afterReady = false): void {
    this.pendingSelect = { type: 'select', layer, step };
    if (this.isReady && !afterReady) this.sendSelect();
  }

  /** The live runs to list (Live Metrics); sent now and after each `ready`. */
  setRunList(runs: RunSummary[]): void {
    this.runList = runs;
    if (this.ready) this.send({ type: 'runs', runs });
  }

  /** The analysis settings changed (the series follow, reset, with the re-analysis). */
  settingsChanged(): void {
    if (!this.isReady) return;
    for (const { run } of this.feeds) this.send({ type: 'settings', run: run.id, settings: this.settingsOf(run) });
  }

  private runOf(id: string): RunSession | undefined {
    return this.feeds.find((f) => f.run.id === id)?.run;
  }

  private async answer(body: WebviewMessage): Promise<HostMessage | undefined> {
    switch (body.type) {
      case 'ready':
        // The webview announces itself with a plain message (no request id): init is sent, not replied.
        // A panel restored after a reload brings back the choices it made for each of its runs.
        for (const { run } of this.feeds) {
          const choices = body.choices?.[run.id];
          if (choices) run.choose(choices);
        }
        this.ready = true;
        if (this.feeds.length > 0) {
          this.sendInit();
          this.sendSelect();
        }
        if (this.runList) this.send({ type: 'runs', runs: this.runList });
        return undefined;
      case 'detail': {
        const run = this.runOf(body.run);
        if (!run) return { type: 'error', message: `${body.run} is not shown in this panel` };
        try {
          return { type: 'detail', run: run.id, detail: await run.detail(body.layer, body.step) };
        } catch (e) {
          return { type: 'error', message: (e as Error).message };
        }
      }
      case 'stop':
        await this.runOf(body.run)?.stop();
        return undefined;
      case 'refresh':
        for (const { run } of this.feeds) run.poke();
        return undefined;
      case 'setSetting': {
        const run = this.runOf(body.run);
        run?.choose({ [body.key]: body.value });
        if (run && this.isReady) this.send({ type: 'settings', run: run.id, settings: this.settingsOf(run) });
        return undefined;
      }
      case 'export':
        return { type: 'exported', path: await this.host.save(body.format, body.suggestedName, body.data) };
      case 'openPanel':
        if (this.feeds[0]) this.host.openPanel(this.feeds[0].run);
        return undefined;
      case 'selectRun':
        this.host.selectRun?.(body.id);
        return undefined;
      case 'showLayers':
        for (const { run } of this.feeds) run.showLayers(body.layers);
        return undefined;
      case 'analyseLayer':
        this.runOf(body.run)?.analyseOnRequest(body.layer);
        return undefined;
    }
  }

  private sendSelect(): void {
    // Changes not yet flushed go first, so that the webview knows the step it is asked to show.
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
    const select = this.pendingSelect;
    this.pendingSelect = undefined;
    if (select)
      this.post({ body: select }).then((ok) => ok && (this.selected = { layer: select.layer, step: select.step }));
  }

  /** The whole state of every run; what was sent is remembered so that later updates are increments. */
  private sendInit(): void {
    const feeds = this.feeds;
    const runs = feeds.map((f) => f.init(this.settingsOf(f.run)));
    this.post({ body: initMessage(runs) }).then(
      (ok) =>
        ok && runs.forEach((r, i) => Object.entries(r.series).forEach(([l, p]) => feeds[i].delivered.set(l, p.length))),
    );
  }

  /** The editor's settings with the choices of the run's panel. */
  private settingsOf(run: RunSession): PanelSettings {
    return { ...this.host.settings(), ...run.panelChoices };
  }

  /** The first change after a quiet spell goes out at once (same-tick changes batched); later ones at most every FLUSH_INTERVAL_MS. */
  private schedule(): void {
    if (!this.isReady || this.timer) return;
    const wait = Math.max(0, this.lastFlush + FLUSH_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastFlush = Date.now();
      this.flush();
    }, wait);
  }

  /** Sends the status, series and loss changes of every run since the last flush. */
  private flush(): void {
    if (!this.ready) return;
    for (const feed of this.feeds)
      for (const [body, counts] of feed.changes()) {
        const posted = this.post({ body });
        if (counts.length > 0) posted.then((ok) => ok && counts.forEach(([layer, n]) => feed.delivered.set(layer, n)));
      }
  }

  private send(body: HostMessage): void {
    void this.post({ body });
  }
}

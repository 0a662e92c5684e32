// The host end of one webview (inspector panel or Live Metrics view): answers `ready` with the
// whole state, then sends what changed in the run, batched, and answers `detail` requests.
// No vscode: the webview is reached through `post`, and the editor through `PanelHost`.
import { MessageHandler, type Envelope } from '../../protocol/messageHandler';
import { initMessage, type InitMessage } from '../../protocol/initMessage';
import type { ExportFormat, HostMessage, PanelSettings, RunSummary, WebviewMessage } from '../../protocol/panel';
import { parseWebviewEnvelope } from '../../protocol/validate';
import { Disposable, MutableDisposable, toDisposable } from '../lifecycle';
import type { RunSession } from '../run/runSession';

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

interface Sent {
  count: number;
  rewrites: number;
}

/** What to send of a series the webview holds `sent` of: the new points, or all of them after a rewrite. */
function increment<T>(
  sent: Sent | undefined,
  points: readonly T[],
  rewrites: number,
): { points: T[]; reset?: true; sent: Sent } | undefined {
  const reset = sent !== undefined && sent.rewrites !== rewrites;
  const from = sent && !reset ? sent.count : 0;
  // A layer the webview does not know yet is sent even without points: its checkpoint named it, figures follow.
  if (points.length === from && !reset && sent !== undefined) return undefined;
  return { points: points.slice(from), reset: reset || undefined, sent: { count: points.length, rewrites } };
}

export class PanelSession extends Disposable {
  private readonly handler: MessageHandler<HostMessage, WebviewMessage>;
  private run: RunSession | undefined;
  private readonly runListener = this._register(new MutableDisposable());
  private ready = false;
  private readonly sentLayers = new Map<string, Sent>();
  private sentLoss: Sent = { count: 0, rewrites: 0 };
  private readonly sentMetrics = new Map<string, Sent>();
  private sentGeneration = 0;
  private sentInfo: unknown;
  private timer: NodeJS.Timeout | undefined;
  /** A selection asked for before the webview was ready, sent after its `init`. */
  private pendingSelect: Extract<HostMessage, { type: 'select' }> | undefined;
  /** The last layer and step the webview was asked to show (`select`), once posted. */
  selected: { layer: string; step: number } | undefined;
  private lastFlush = -Infinity;
  private runList: RunSummary[] | undefined;
  /** Points of each layer that the webview has received (postMessage resolved true). */
  readonly delivered = new Map<string, number>();

  constructor(
    private readonly post: (message: Envelope<HostMessage>) => PromiseLike<boolean>,
    private readonly host: PanelHost,
    run?: RunSession,
  ) {
    super();
    this.handler = new MessageHandler<HostMessage, WebviewMessage>(
      (m) => this.deliver(m, []),
      (body) => this.answer(body),
    );
    this._register(toDisposable(() => this.handler.dispose()));
    this._register(toDisposable(() => clearTimeout(this.timer)));
    if (run) this.show(run);
  }

  /** True once the webview has announced `ready` and received its state. */
  get isReady(): boolean {
    return this.ready && this.run !== undefined;
  }

  /** Feed every message from the webview here; malformed ones are ignored. */
  receive(raw: unknown): Promise<void> {
    const envelope = parseWebviewEnvelope(raw);
    return envelope ? this.handler.receive(envelope) : Promise.resolve();
  }

  /** Shows another run (the side bar follows the current run). */
  show(run: RunSession | undefined): void {
    if (run === this.run) return;
    this.run = run;
    this.runListener.value = run?.model.onDidChange((change) => {
      if (change.kind === 'problem') this.send({ type: 'problem', problem: change.problem });
      else this.schedule();
    });
    if (!this.ready) return;
    if (run) this.sendInit(run);
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
    if (this.isReady && this.run) this.send({ type: 'settings', settings: this.settingsOf(this.run) });
  }

  private async answer(body: WebviewMessage): Promise<HostMessage | undefined> {
    const run = this.run;
    switch (body.type) {
      case 'ready':
        // The webview announces itself with a plain message (no request id): init is sent, not replied.
        // A panel restored after a reload brings back the choices it made for its run.
        if (body.settings) run?.choose(body.settings);
        this.ready = true;
        if (run) this.sendInit(run);
        if (run) this.sendSelect();
        if (this.runList) this.send({ type: 'runs', runs: this.runList });
        return undefined;
      case 'detail':
        if (!run) return { type: 'error', message: 'no run is shown' };
        try {
          return { type: 'detail', detail: await run.detail(body.layer, body.step) };
        } catch (e) {
          return { type: 'error', message: (e as Error).message };
        }
      case 'stop':
        await run?.stop();
        return undefined;
      case 'refresh':
        run?.poke();
        return undefined;
      case 'setSetting':
        run?.choose({ [body.key]: body.value });
        this.settingsChanged();
        return undefined;
      case 'export':
        return { type: 'exported', path: await this.host.save(body.format, body.suggestedName, body.data) };
      case 'openPanel':
        if (run) this.host.openPanel(run);
        return undefined;
      case 'selectRun':
        this.host.selectRun?.(body.id);
        return undefined;
      case 'showLayers':
        run?.showLayers(body.layers);
        return undefined;
      case 'analyseLayer':
        run?.analyseOnRequest(body.layer);
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

  private sendInit(run: RunSession): void {
    const init = this.init(run);
    this.send(
      init,
      Object.entries(init.series).map(([l, p]) => [l, p.length]),
    );
  }

  /** The whole state of `run`; what was sent is remembered so that later updates are increments. */
  private init(run: RunSession): InitMessage {
    const m = run.model;
    const series = Object.fromEntries(m.layers.map((l) => [l, [...m.series(l)]]));
    this.sentLayers.clear();
    for (const l of m.layers) this.sentLayers.set(l, { count: m.series(l).length, rewrites: m.rewrites(l) });
    this.sentLoss = { count: m.loss.length, rewrites: m.lossRewrites };
    this.sentMetrics.clear();
    for (const n of m.metricNames)
      this.sentMetrics.set(n, { count: m.metric(n).length, rewrites: m.metricRewrites(n) });
    this.sentGeneration = m.generation;
    this.sentInfo = m.info;
    return initMessage({
      run: m.info,
      settings: this.settingsOf(run),
      layers: m.layers,
      series,
      loss: [...m.loss],
      metrics: Object.fromEntries(m.metricNames.map((n) => [n, [...m.metric(n)]])),
      problems: m.problems,
    });
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

  /** Sends the status, series and loss changes since the last flush. */
  private flush(): void {
    const run = this.run;
    if (!run || !this.ready) return;
    const m = run.model;
    if (m.info !== this.sentInfo) {
      this.sentInfo = m.info;
      this.send({ type: 'status', run: m.info });
    }
    if (m.generation !== this.sentGeneration) {
      this.sentGeneration = m.generation;
      // After a reset every layer starts again from nothing.
      for (const layer of this.sentLayers.keys()) this.send({ type: 'series', layer, points: [], reset: true });
      this.sentLayers.clear();
    }
    for (const layer of m.layers) {
      const series = increment(this.sentLayers.get(layer), m.series(layer), m.rewrites(layer));
      if (!series) continue;
      this.sentLayers.set(layer, series.sent);
      this.send({ type: 'series', layer, points: series.points, reset: series.reset }, [[layer, series.sent.count]]);
    }
    const loss = increment(this.sentLoss, m.loss, m.lossRewrites);
    if (loss) {
      this.sentLoss = loss.sent;
      this.send({ type: 'loss', points: loss.points, reset: loss.reset });
    }
    for (const name of m.metricNames) {
      const metric = increment(this.sentMetrics.get(name), m.metric(name), m.metricRewrites(name));
      if (!metric) continue;
      this.sentMetrics.set(name, metric.sent);
      this.send({ type: 'metric', name, points: metric.points, reset: metric.reset });
    }
  }

  private send(body: HostMessage, counts: [string, number][] = []): void {
    this.deliver({ body }, counts);
  }

  /** Posts a message; `counts` are the layer totals the webview holds once it has arrived. */
  private deliver(message: Envelope<HostMessage>, counts: [string, number][]): void {
    const posted = this.post(message);
    if (counts.length > 0) posted.then((ok) => ok && counts.forEach(([layer, n]) => this.delivered.set(layer, n)));
  }
}

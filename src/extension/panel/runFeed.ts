// What a webview holds of one run: its whole state once (`init`), then the messages of what changed since, each
// naming the run. A panel has one feed per run it shows.
import type { CheckpointNotes, HostMessage, PanelSettings, RunState } from '../../protocol/panel';
import type { RunSession } from '../run/runSession';

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

/** A message, and the layer totals the webview holds once it has arrived. */
export type FeedMessage = [HostMessage, [string, number][]];

export class RunFeed {
  private readonly sentLayers = new Map<string, Sent>();
  private sentLoss: Sent = { count: 0, rewrites: 0 };
  private readonly sentMetrics = new Map<string, Sent>();
  private sentGeneration = 0;
  private sentInfo: unknown;
  /** The notes the webview holds, by checkpoint path (entries are replaced, not changed, so identity tells). */
  private readonly sentNotes = new Map<string, CheckpointNotes>();
  /** Points of each layer that the webview has received (postMessage resolved true). */
  readonly delivered = new Map<string, number>();

  constructor(readonly run: RunSession) {}

  /** The whole state of the run; what it holds is remembered so that later updates are increments. */
  init(settings: PanelSettings): RunState {
    const m = this.run.model;
    this.sentLayers.clear();
    for (const l of m.layers) this.sentLayers.set(l, { count: m.series(l).length, rewrites: m.rewrites(l) });
    this.sentLoss = { count: m.loss.length, rewrites: m.lossRewrites };
    this.sentMetrics.clear();
    for (const n of m.metricNames)
      this.sentMetrics.set(n, { count: m.metric(n).length, rewrites: m.metricRewrites(n) });
    this.sentGeneration = m.generation;
    this.sentInfo = m.info;
    this.sentNotes.clear();
    for (const n of m.notes) this.sentNotes.set(n.path, n);
    return {
      run: m.info,
      settings,
      layers: m.layers,
      series: Object.fromEntries(m.layers.map((l) => [l, [...m.series(l)]])),
      loss: [...m.loss],
      metrics: Object.fromEntries(m.metricNames.map((n) => [n, [...m.metric(n)]])),
      problems: m.problems,
      notes: m.notes,
    };
  }

  /** The status, series and loss changes since the last call. */
  changes(): FeedMessage[] {
    const m = this.run.model;
    const run = this.run.id;
    const out: FeedMessage[] = [];
    if (m.info !== this.sentInfo) {
      this.sentInfo = m.info;
      out.push([{ type: 'status', run: m.info }, []]);
    }
    if (m.generation !== this.sentGeneration) {
      this.sentGeneration = m.generation;
      // After a reset every layer starts again from nothing.
      for (const layer of this.sentLayers.keys())
        out.push([{ type: 'series', run, layer, points: [], reset: true }, []]);
      this.sentLayers.clear();
    }
    for (const layer of m.layers) {
      const series = increment(this.sentLayers.get(layer), m.series(layer), m.rewrites(layer));
      if (!series) continue;
      this.sentLayers.set(layer, series.sent);
      out.push([
        { type: 'series', run, layer, points: series.points, reset: series.reset },
        [[layer, series.sent.count]],
      ]);
    }
    out.push(...this.notesChanges());
    const loss = increment(this.sentLoss, m.loss, m.lossRewrites);
    if (loss) {
      this.sentLoss = loss.sent;
      out.push([{ type: 'loss', run, points: loss.points, reset: loss.reset }, []]);
    }
    for (const name of m.metricNames) {
      const metric = increment(this.sentMetrics.get(name), m.metric(name), m.metricRewrites(name));
      if (!metric) continue;
      this.sentMetrics.set(name, metric.sent);
      out.push([{ type: 'metric', run, name, points: metric.points, reset: metric.reset }, []]);
    }
    return out;
  }

  /** A `notes` message for each checkpoint whose notes are not what the webview holds (none: they were dropped). */
  private notesChanges(): FeedMessage[] {
    const run = this.run.id;
    const now = new Map(this.run.model.notes.map((n) => [n.path, n]));
    const out: FeedMessage[] = [];
    for (const [path, sent] of this.sentNotes)
      if (!now.has(path)) out.push([{ type: 'notes', run, checkpoint: { ...sent, notes: [] } }, []]);
    for (const [path, notes] of now)
      if (this.sentNotes.get(path) !== notes) out.push([{ type: 'notes', run, checkpoint: notes }, []]);
    this.sentNotes.clear();
    for (const [path, notes] of now) this.sentNotes.set(path, notes);
    return out;
  }
}

// What is known about one run: its status, a time series per layer, the loss, unreadable
// checkpoints and the notes of readable ones. No vscode: the panel, the side bar, the status bar and tests all read it.
import type { LayerSummary } from '../../protocol/report';
import { layerPoint } from '../../protocol/initMessage';
import type { CheckpointNotes, CheckpointProblem, LayerPoint, MetricPoint, RunInfo } from '../../protocol/panel';
import { Emitter } from '../events';
import type { FileStat } from '../watch/checkpointTracker';

export type ModelChange =
  | { kind: 'status' }
  | { kind: 'series'; layer: string }
  | { kind: 'loss' }
  | { kind: 'metric'; name: string }
  | { kind: 'problem'; problem: CheckpointProblem }
  /** The notes of a checkpoint changed (it was read again, or could not be). */
  | { kind: 'notes'; path: string }
  /** Every series was cleared (the analysis settings changed). */
  | { kind: 'reset' };

export interface LossPoint {
  step: number;
  loss: number;
}

/**
 * A list kept sorted by `step`. `rewrites` counts the changes that were not appends, so that a
 * reader who has sent the first `n` points knows whether sending the rest is enough.
 */
class StepSeries<T extends { step: number }> {
  readonly points: T[] = [];
  rewrites = 0;

  /** Adds or replaces the point at its step; false when the same point was there already. */
  put(point: T, same: (a: T, b: T) => boolean): boolean {
    const p = this.points;
    if (p.length === 0 || point.step > p[p.length - 1].step) {
      p.push(point);
      return true;
    }
    const at = p.findIndex((q) => q.step >= point.step);
    if (p[at].step === point.step && same(p[at], point)) return false;
    this.rewrites++;
    p.splice(at, p[at].step === point.step ? 1 : 0, point);
    return true;
  }
}

const sameLoss = (a: LossPoint, b: LossPoint) => Object.is(a.loss, b.loss);
const sameValue = (a: MetricPoint, b: MetricPoint) => a.value === b.value;
const sameNotes = (a: CheckpointNotes, b: CheckpointNotes) =>
  a.name === b.name &&
  a.step === b.step &&
  a.notes.length === b.notes.length &&
  a.notes.every((n, i) => n === b.notes[i]);

export class RunModel {
  private readonly _onDidChange = new Emitter<ModelChange>();
  readonly onDidChange = this._onDidChange.event;

  private readonly layerSeries = new Map<string, StepSeries<LayerPoint>>();
  private readonly lossSeries = new StepSeries<LossPoint>();
  private readonly metricSeries = new Map<string, StepSeries<MetricPoint>>();
  /** metrics.jsonl holds the loss: progress lines then only move the header's step and loss. */
  private lossFromFile = false;
  private readonly problemsByPath = new Map<string, CheckpointProblem>();
  private readonly notesByPath = new Map<string, CheckpointNotes>();
  private readonly checkpointsByStep = new Map<number, FileStat>();
  /** Bumped by `reset`, so that the series of a reader can be told apart across resets. */
  generation = 0;

  constructor(private _info: RunInfo) {}

  get info(): RunInfo {
    return this._info;
  }

  update(patch: Partial<RunInfo>): void {
    this._info = { ...this._info, ...patch };
    this._onDidChange.fire({ kind: 'status' });
  }

  /** Layers in the order their checkpoints named them (model order), including those not analysed yet. */
  get layers(): string[] {
    return [...this.layerSeries.keys()];
  }

  series(layer: string): readonly LayerPoint[] {
    return this.layerSeries.get(layer)?.points ?? [];
  }

  /** Count of non-append changes to a layer's series (see StepSeries). */
  rewrites(layer: string): number {
    return this.layerSeries.get(layer)?.rewrites ?? 0;
  }

  get loss(): readonly LossPoint[] {
    return this.lossSeries.points;
  }

  get lossRewrites(): number {
    return this.lossSeries.rewrites;
  }

  /** Names of the numeric metrics.jsonl fields other than the loss, in the order they first appeared. */
  get metricNames(): string[] {
    return [...this.metricSeries.keys()];
  }

  metric(name: string): readonly MetricPoint[] {
    return this.metricSeries.get(name)?.points ?? [];
  }

  metricRewrites(name: string): number {
    return this.metricSeries.get(name)?.rewrites ?? 0;
  }

  get problems(): CheckpointProblem[] {
    return [...this.problemsByPath.values()];
  }

  /** The checkpoints whose last reading gave notes, one entry each. */
  get notes(): CheckpointNotes[] {
    return [...this.notesByPath.values()];
  }

  /** The analysed checkpoint at `step`. */
  checkpointAt(step: number): FileStat | undefined {
    return this.checkpointsByStep.get(step);
  }

  get checkpointCount(): number {
    return this.checkpointsByStep.size;
  }

  /**
   * The newest point with clusters of the first layer that has one (for the status bar and Live Metrics): a layer
   * whose clusters were deferred (above analysis.maxNeurons) has no count to show.
   */
  get latest(): { layer: string; point: LayerPoint } | undefined {
    for (const layer of this.layers) {
      const point = this.analysed(layer).at(-1);
      if (point) return { layer, point };
    }
    return undefined;
  }

  /** The points of `layer` that have clusters (not deferred). */
  analysed(layer: string): readonly LayerPoint[] {
    return this.series(layer).filter((p) => !p.deferred);
  }

  /**
   * A checkpoint at `step` was read, its figures to follow layer by layer: `layers` (in model order) get a
   * series, empty until their first figures; `loss` from its metadata.
   */
  addCheckpoint(file: FileStat, step: number, loss: number | null, layers: readonly string[]): void {
    this.checkpointsByStep.set(step, file);
    if (this.problemsByPath.delete(file.path)) this._onDidChange.fire({ kind: 'status' });
    for (const layer of layers) this.seriesOf(layer);
    if (loss !== null) this.addLoss(step, loss);
  }

  /** The figures of one layer at `step`, replacing what that step had (a layer analysed on request). */
  addLayer(step: number, layer: LayerSummary): void {
    this.seriesOf(layer.name).put(layerPoint(step, layer), () => false);
    this._onDidChange.fire({ kind: 'series', layer: layer.name });
  }

  private seriesOf(layer: string): StepSeries<LayerPoint> {
    let series = this.layerSeries.get(layer);
    if (!series) {
      this.layerSeries.set(layer, (series = new StepSeries()));
      this._onDidChange.fire({ kind: 'series', layer });
    }
    return series;
  }

  /** A loss from a progress line (ignored once metrics.jsonl carries the loss, which is complete). */
  addLoss(step: number, loss: number): void {
    if (this.lossFromFile) return;
    if (this.lossSeries.put({ step, loss }, sameLoss)) this._onDidChange.fire({ kind: 'loss' });
  }

  /**
   * Records of metrics.jsonl: `loss` joins the loss series, `total_steps` sets the run's total, every other
   * finite number becomes a metric series. Records without a numeric `step` are skipped.
   */
  addMetricRecords(records: readonly Record<string, unknown>[]): void {
    const changed = new Set<string>();
    let loss = false;
    let latest: Partial<RunInfo> = {};
    for (const r of records) {
      if (typeof r.total_steps === 'number' && r.total_steps > 0) latest.totalSteps = r.total_steps;
      if (typeof r.step !== 'number' || !Number.isFinite(r.step)) continue;
      const step = r.step;
      for (const [name, value] of Object.entries(r)) {
        if (name === 'step' || name === 'total_steps' || typeof value !== 'number' || !Number.isFinite(value)) continue;
        if (name === 'loss') {
          loss = this.putFileLoss(step, value) || loss;
          latest = { ...latest, ...this.furthest(step, { loss: value }) };
          continue;
        }
        let series = this.metricSeries.get(name);
        if (!series) this.metricSeries.set(name, (series = new StepSeries()));
        if (series.put({ step, value }, sameValue)) changed.add(name);
      }
      latest = { ...latest, ...this.furthest(step, {}) };
    }
    if (Object.keys(latest).length > 0) this.update(latest);
    if (loss) this._onDidChange.fire({ kind: 'loss' });
    for (const name of changed) this._onDidChange.fire({ kind: 'metric', name });
  }

  /** The first loss from metrics.jsonl replaces what progress lines gave (the file has every step). */
  private putFileLoss(step: number, loss: number): boolean {
    if (!this.lossFromFile) {
      this.lossFromFile = true;
      if (this.lossSeries.points.length > 0) {
        this.lossSeries.points.length = 0;
        this.lossSeries.rewrites++;
      }
    }
    return this.lossSeries.put({ step, loss }, sameLoss);
  }

  /** `patch` plus the step, when `step` is further than the run's step so far (else nothing). */
  private furthest(step: number, patch: Partial<RunInfo>): Partial<RunInfo> {
    return this._info.step === undefined || step >= this._info.step ? { step, ...patch } : {};
  }

  /** What a reading of a checkpoint noted replaces what the last one did (no notes: it has none now). */
  setNotes(entry: CheckpointNotes): void {
    const before = this.notesByPath.get(entry.path);
    // The same notes again keep their entry, which readers compare by identity.
    if (before && sameNotes(before, entry)) return;
    if (entry.notes.length > 0) this.notesByPath.set(entry.path, entry);
    else if (!this.notesByPath.delete(entry.path)) return;
    this._onDidChange.fire({ kind: 'notes', path: entry.path });
  }

  addProblem(problem: CheckpointProblem): void {
    this.problemsByPath.set(problem.path, problem);
    // A checkpoint that could not be read has no notes of its own any more.
    if (this.notesByPath.delete(problem.path)) this._onDidChange.fire({ kind: 'notes', path: problem.path });
    this._onDidChange.fire({ kind: 'problem', problem });
  }

  /** Forgets every layer series (the loss stays: it does not depend on the analysis settings). */
  reset(): void {
    this.layerSeries.clear();
    this.checkpointsByStep.clear();
    this.generation++;
    this._onDidChange.fire({ kind: 'reset' });
  }

  dispose(): void {
    this._onDidChange.dispose();
  }
}

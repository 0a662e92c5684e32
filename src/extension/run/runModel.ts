// What is known about one run: its status, a time series per layer, the loss, unreadable
// checkpoints. No vscode: the panel, the side bar, the status bar and tests all read it.
import type { CheckpointReport, LayerSummary } from '../../protocol/report';
import type { CheckpointProblem, LayerPoint, RunInfo } from '../../protocol/panel';
import { Emitter } from '../events';
import type { FileStat } from '../watch/checkpointTracker';

export type ModelChange =
  | { kind: 'status' }
  | { kind: 'series'; layer: string }
  | { kind: 'loss' }
  | { kind: 'problem'; problem: CheckpointProblem }
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

  put(point: T): void {
    const p = this.points;
    if (p.length === 0 || point.step > p[p.length - 1].step) {
      p.push(point);
      return;
    }
    this.rewrites++;
    const at = p.findIndex((q) => q.step >= point.step);
    p.splice(at, p[at].step === point.step ? 1 : 0, point);
  }
}

export function layerPoint(step: number, layer: LayerSummary): LayerPoint {
  const { neurons, inputDim, active, clusters, effectiveClusters, stableRank, largestCluster, relativeChange } = layer;
  const { kind, next, view } = layer;
  return {
    step,
    ...{ neurons, inputDim, active, clusters, effectiveClusters, stableRank, largestCluster, relativeChange },
    ...{ kind, next, view },
  };
}

export class RunModel {
  private readonly _onDidChange = new Emitter<ModelChange>();
  readonly onDidChange = this._onDidChange.event;

  private readonly layerSeries = new Map<string, StepSeries<LayerPoint>>();
  private readonly lossSeries = new StepSeries<LossPoint>();
  private readonly problemsByPath = new Map<string, CheckpointProblem>();
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

  /** Layers in the order they first appeared. */
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

  get problems(): CheckpointProblem[] {
    return [...this.problemsByPath.values()];
  }

  /** The analysed checkpoint at `step`. */
  checkpointAt(step: number): FileStat | undefined {
    return this.checkpointsByStep.get(step);
  }

  get checkpointCount(): number {
    return this.checkpointsByStep.size;
  }

  /** The newest point of the first layer (for the status bar). */
  get latest(): { layer: string; point: LayerPoint } | undefined {
    const layer = this.layers[0];
    const points = layer === undefined ? [] : this.series(layer);
    return points.length > 0 ? { layer, point: points[points.length - 1] } : undefined;
  }

  /** Adds the figures of one analysed checkpoint at `step`. */
  addReport(file: FileStat, step: number, report: CheckpointReport): void {
    this.checkpointsByStep.set(step, file);
    if (this.problemsByPath.delete(file.path)) this._onDidChange.fire({ kind: 'status' });
    for (const layer of report.layers) {
      let series = this.layerSeries.get(layer.name);
      if (!series) this.layerSeries.set(layer.name, (series = new StepSeries()));
      series.put(layerPoint(step, layer));
      this._onDidChange.fire({ kind: 'series', layer: layer.name });
    }
    if (report.loss !== null) this.addLoss(step, report.loss);
  }

  addLoss(step: number, loss: number): void {
    this.lossSeries.put({ step, loss });
    this._onDidChange.fire({ kind: 'loss' });
  }

  addProblem(problem: CheckpointProblem): void {
    this.problemsByPath.set(problem.path, problem);
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

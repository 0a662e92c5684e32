// The `init` message, built one way by the panel's host, the CLI report and the webview's own snapshot.
import type { HostMessage, LayerDetail, LayerPoint, PanelSettings, RunState } from './panel';
import type { LayerSummary } from './report';

export type InitMessage = Extract<HostMessage, { type: 'init' }>;

/** The settings a webview shows, out of the analysis settings (or a copy of settings it was sent). */
export function toPanelSettings(s: PanelSettings): PanelSettings {
  return {
    threshold: s.threshold,
    similarity: s.similarity,
    activeFraction: s.activeFraction,
    includeBias: s.includeBias,
    heatmapMaxNeurons: s.heatmapMaxNeurons,
  };
}

/** One run's state for a webview; only the settings a webview shows are sent. */
export function runState(state: RunState): RunState {
  return {
    run: state.run,
    settings: toPanelSettings(state.settings),
    layers: state.layers,
    series: state.series,
    loss: state.loss,
    metrics: state.metrics,
    problems: state.problems,
    ...(state.notes?.length ? { notes: state.notes } : {}),
  };
}

/** The whole state of the runs a webview shows, in order (one run, or several compared). */
export function initMessage(runs: readonly RunState[]): InitMessage {
  return { type: 'init', runs: runs.map(runState) };
}

/** A detail and the run it belongs to. */
export interface RunDetail {
  run: string;
  detail: LayerDetail;
}

/** What rebuilds runs in a standalone report: `init`, then each detail. */
export function replayMessages(init: InitMessage, details: readonly RunDetail[]): HostMessage[] {
  return [init, ...details.map(({ run, detail }): HostMessage => ({ type: 'detail', run, detail }))];
}

/** A layer's summary at a step as a point of its series. */
export function layerPoint(step: number, l: LayerSummary): LayerPoint {
  return {
    step,
    neurons: l.neurons,
    inputDim: l.inputDim,
    active: l.active,
    clusters: l.clusters,
    effectiveClusters: l.effectiveClusters,
    stableRank: l.stableRank,
    largestCluster: l.largestCluster,
    ...(l.relativeChange === undefined ? {} : { relativeChange: l.relativeChange }),
    kind: l.kind,
    next: l.next,
    view: l.view,
    ...(l.deferred ? { deferred: true } : {}),
  };
}

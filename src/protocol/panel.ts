// Messages between the extension host and the webviews (inspector panel, Live Metrics view).
// Tagged unions per direction; request/reply goes through MessageHandler (messageId/inReplyTo).

import type { LayerFigures } from './figures';
import type { LayerKind } from './report';

/** Figures of one layer at one checkpoint (docs/metrics.md layer summary). */
export interface LayerPoint extends LayerFigures {
  step: number;
  /** What the layer is, its next layer and how its tensor is read (the report's fields; absent from older hosts). */
  kind?: LayerKind;
  next?: string | null;
  view?: string;
  /** Above analysis.maxNeurons: clusters not computed until the layer is analysed on request (docs/layers.md). */
  deferred?: true;
}

/** `ended`: the process is gone without saying it finished or failed (found so after a window reload). */
export type RunStatus = 'running' | 'finished' | 'failed' | 'stopped' | 'ended' | 'watching';

/** The status as shown (badge, tree, status bar). */
export const STATUS_LABELS: Record<RunStatus, string> = {
  running: 'running',
  finished: 'finished',
  failed: 'failed',
  stopped: 'stopped',
  ended: 'ended (process gone)',
  watching: 'watching',
};

export interface RunInfo {
  id: string;
  name: string;
  /** Folder of the run, as a display path. */
  folder: string;
  status: RunStatus;
  backend?: string;
  preset?: string;
  step?: number;
  loss?: number;
  /** The step the run ends at, when known (a preset's steps, `total_steps` in run.json or metrics.jsonl). */
  totalSteps?: number;
  /** When the run's process started (ms since 1970), for the ETA. */
  startedAt?: number;
  /** Set while no layer was found in any checkpoint read: what the newest one holds and what a layer must be. */
  noLayers?: string;
  /** While the run's checkpoints are analysed again (a setting changed): how many are done of how many. */
  reanalysis?: { done: number; total: number };
  message?: string;
  /** run.json's `config` (and `preset`) flattened to `key: value`, what its label among compared runs is made of. */
  config?: RunConfig;
}

/** A run's training settings as flat `key: value` pairs (nested objects as `a.b`). */
export type RunConfig = Record<string, string | number | boolean>;

/** A line of the Live Metrics list: one run and its latest figure. */
export interface RunSummary {
  run: RunInfo;
  /** The first layer's clusters at the newest checkpoint. */
  latest?: { layer: string; clusters: number };
}

/** One value of a numeric metrics.jsonl field (accuracy, learning rate …) at a step. */
export interface MetricPoint {
  step: number;
  value: number;
}

/** What the inspector webview keeps with setState: its view choices plus its runs' folders, which the host's panel serializer needs to reopen it after a reload (`run`: the first, as older versions saved it). */
export interface SavedPanelState {
  run?: { folder: string };
  runs?: { folder: string }[];
}

/** The settings a panel chooses for its own run (its quick toggles); the editor's settings stay the defaults. */
export interface PanelChoices {
  threshold?: number;
  similarity?: 'signed' | 'absolute';
}

/** The settings the webview shows and may toggle. */
export interface PanelSettings {
  threshold: number;
  similarity: 'signed' | 'absolute';
  activeFraction: number;
  includeBias: boolean;
  heatmapMaxNeurons: number;
}

/** A checkpoint that could not be read (kept, shown as a gap, never fatal). */
export interface CheckpointProblem {
  path: string;
  step: number | null;
  error: string;
}

/** The notes of a checkpoint that was read: warnings that do not stop it being analysed (Python objects not run). */
export interface CheckpointNotes {
  path: string;
  /** The checkpoint's name as shown (its file or folder name, or its path in the run folder), escaped. */
  name: string;
  step: number | null;
  /** One escaped line each, without the checkpoint's name. */
  notes: string[];
}

/** Per-step detail of one layer, sent on demand. */
export interface LayerDetail {
  layer: string;
  step: number;
  /** Orientation θ_k in (−π, π] per neuron, index order. */
  theta: number[];
  /** Amplitude A_k per neuron. */
  amplitude: number[];
  /** Cluster index per neuron (0 = heaviest cluster), −1 for inactive neurons. */
  cluster: number[];
  /** The first checkpoint's θ and A, for ghost points (absent at the first step). */
  ghost?: { theta: number[]; amplitude: number[] };
  heatmap: HeatmapData;
}

/**
 * The similarity matrix in heatmap order, block-averaged to at most `size` × `size`.
 * `values[r * size + c]` is round((S + 1) / 2 · 255), so S = values / 127.5 − 1.
 */
export interface HeatmapData {
  size: number;
  /** Neurons represented by each row (1 unless block-averaged). */
  blockSize: number;
  /** Neuron indices in heatmap order (length N). */
  order: number[];
  /** Row index (in display rows) where each cluster after the first starts. */
  boundaries: number[];
  values: Uint8Array;
  similarity: 'signed' | 'absolute';
}

/** What the panel exports: a figure (SVG, or PNG as a data URL), every series as CSV, or the standalone report. */
export type ExportFormat = 'svg' | 'png' | 'csv' | 'html';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['svg', 'png', 'csv', 'html'];

/** Everything a webview holds of one run: a panel shows one run, or several side by side (Compare). */
export interface RunState {
  run: RunInfo;
  /** The settings this run is analysed with (its panel's choices over the editor's). */
  settings: PanelSettings;
  layers: string[];
  series: Record<string, LayerPoint[]>;
  loss: { step: number; loss: number }[];
  /** The other numeric fields of metrics.jsonl, by name. */
  metrics?: Record<string, MetricPoint[]>;
  problems: CheckpointProblem[];
  /** The checkpoints read with notes, one entry each (absent from older hosts and recordings). */
  notes?: CheckpointNotes[];
}

/** Host → webview. Every message about a run names it by its id (`RunInfo.id`). */
export type HostMessage =
  /** Whole initial state, the reply to `ready`: every run shown, in order. */
  | { type: 'init'; runs: RunState[] }
  /** Every run the window follows live (running), for the Live Metrics list. */
  | { type: 'runs'; runs: RunSummary[] }
  /** The view shows no run any more (its run was closed): back to the empty state. */
  | { type: 'cleared' }
  /** A run's status changed (step, loss, finished, failed …); `run.id` names it. */
  | { type: 'status'; run: RunInfo }
  /** New points for one layer of a run, appended in step order (`reset` replaces the series, e.g. after a settings change). */
  | { type: 'series'; run: string; layer: string; points: LayerPoint[]; reset?: boolean }
  /** New loss points of a run, appended in step order (`reset` replaces the loss series: points arrived out of order). */
  | { type: 'loss'; run: string; points: { step: number; loss: number }[]; reset?: boolean }
  /** New points of one metrics.jsonl field of a run, in step order (`reset` replaces its series). */
  | { type: 'metric'; run: string; name: string; points: MetricPoint[]; reset?: boolean }
  /** A checkpoint of a run that could not be analysed. */
  | { type: 'problem'; run: string; problem: CheckpointProblem }
  /** A checkpoint of a run was read (again): its notes replace what it had; none clears them. */
  | { type: 'notes'; run: string; checkpoint: CheckpointNotes }
  /** A run's analysis settings changed; its series follow with `reset`. */
  | { type: 'settings'; run: string; settings: PanelSettings }
  /** Reply to `detail`. */
  | { type: 'detail'; run: string; detail: LayerDetail }
  /** Reply to `export`: the file written, or no path when the user cancelled the save dialog. */
  | { type: 'exported'; path?: string }
  /** Show this layer at this step, in every run shown (a CodeLens above the layer's definition was clicked). */
  | { type: 'select'; layer: string; step: number }
  /** Reply to a request that failed. */
  | { type: 'error'; message: string };

/** Webview → host. */
export type WebviewMessage =
  /** The webview has loaded and listens; the host answers with `init`. `choices`: the panel's own choices per run id, kept in its state. */
  | { type: 'ready'; choices?: Record<string, PanelChoices> }
  /** Ask for per-step detail of a layer of a run; replied with `detail` or `error`. */
  | { type: 'detail'; run: string; layer: string; step: number }
  /** Stop this run (one of the panel's). */
  | { type: 'stop'; run: string }
  /** Scan the folders of the runs shown now (new checkpoints, metrics.jsonl), without waiting for the next poll. */
  | { type: 'refresh' }
  /** Change a setting of one of this panel's runs from its quick toggles (not the editor's settings). */
  | { type: 'setSetting'; run: string; key: 'threshold' | 'similarity'; value: number | string }
  /** Save an export chosen by the user (PNG as data URL, SVG, CSV or HTML text); replied with `exported`. */
  | { type: 'export'; format: ExportFormat; suggestedName: string; data: string }
  /** From the side-bar view: open the inspector panel. */
  | { type: 'openPanel' }
  /** From the Live Metrics list: show this run (its folder) there. */
  | { type: 'selectRun'; id: string }
  /** The layers the panel shows (selected, drawn, visible in the table): the host analyses them first, in every run. */
  | { type: 'showLayers'; layers: string[] }
  /** Analyse a layer of a run whose clusters were deferred (above analysis.maxNeurons) at every step the run has. */
  | { type: 'analyseLayer'; run: string; layer: string };

// The panel's state as pure functions (GitLens style): host messages and user actions in, new state out.
import type { OrientationStyle } from '../src/report/orientation';
import type {
  CheckpointNotes,
  CheckpointProblem,
  HostMessage,
  LayerPoint,
  MetricPoint,
  PanelChoices,
  PanelSettings,
  RunInfo,
  RunState,
  RunSummary,
  SavedPanelState,
} from '../src/protocol/panel';
import { initMessage, replayMessages, type RunDetail } from '../src/protocol/initMessage';
import { mergeByStep, stepUnion } from './series';

export type Tab = 'overSteps' | 'orientation' | 'similarity';
export const TABS: readonly Tab[] = ['overSteps', 'orientation', 'similarity'];

/** Layers-table columns that can be sorted: model order, the layer name or a docs/metrics.md field. */
export type SortField = 'model' | 'name' | keyof Omit<LayerPoint, 'step' | 'kind' | 'next' | 'view' | 'deferred'>;

/** Fields sorted ascending on the first click (the others, figures, descending). */
const ASCENDING_FIRST: readonly SortField[] = ['model', 'name'];

/** What the user chose; saved with setState so it survives hide/show and reload. */
export interface ViewState {
  tab: Tab;
  /** The layer of the Orientation and Similarity tabs, and of the scrubber's detail. */
  layer?: string;
  /** The selected checkpoint step (not an index, so it survives new checkpoints). */
  step?: number;
  /** Keep the selected step on the newest checkpoint. */
  follow: boolean;
  /** Layers drawn in "Over steps". */
  shown: string[];
  /** metrics.jsonl fields (other than the loss) drawn in "Over steps". */
  shownMetrics: string[];
  /** Small multiples (one chart per layer) instead of overlaid. */
  multiples: boolean;
  logX: boolean;
  showStableRank: boolean;
  showActive: boolean;
  normaliseA: boolean;
  /** Orientation: A on a log axis, trajectories over the last checkpoints, colours by cluster or as in the paper. */
  logA: boolean;
  trajectories: boolean;
  orientationStyle: OrientationStyle;
  rawOrder: boolean;
  /** Similarity: only the active block; unset, it is on when fewer than half of the neurons are active. */
  activeOnly?: boolean;
  sort: { field: SortField; descending: boolean };
  /** The threshold and similarity chosen in this panel, per run id, for that run only (sent again after a reload). */
  choices?: Record<string, PanelChoices>;
  /** The run (id) the header, the Layers table and the single-run views show; unset, the first. */
  focus?: string;
  /** Compare: the final figure charted against a config value, and that value's key. */
  finalFigure: FinalFigure;
  finalKey?: string;
}

/** The final figures a Compare panel charts against a config value. */
export type FinalFigure = 'effectiveClusters' | 'clusters' | 'loss';
export const FINAL_FIGURES: readonly FinalFigure[] = ['effectiveClusters', 'clusters', 'loss'];

/** One run as the panel holds it: its state, with its checkpoint steps in any layer, ascending. */
export interface RunData extends RunState {
  metrics: Record<string, MetricPoint[]>;
  notes: CheckpointNotes[];
  steps: number[];
}

export interface PanelState {
  /** Every run the panel shows, in order: one, or several compared. */
  compared: RunData[];
  /** The focused run (below: its settings, series, loss, metrics and problems); the layers of every run. */
  run?: RunInfo;
  settings?: PanelSettings;
  layers: string[];
  series: Record<string, LayerPoint[]>;
  loss: { step: number; loss: number }[];
  /** The other numeric metrics.jsonl fields, by name. */
  metrics: Record<string, MetricPoint[]>;
  /** Every live run of the window (Live Metrics lists them). */
  runs: RunSummary[];
  problems: CheckpointProblem[];
  /** The focused run's checkpoints with notes. */
  notes: CheckpointNotes[];
  /** Every checkpoint step seen in any layer of any run, ascending: the scrubber's stops. */
  steps: number[];
  /** True once `init` arrived. */
  ready: boolean;
  view: ViewState;
}

export type Action =
  | { type: 'host'; message: HostMessage }
  | { type: 'selectTab'; tab: Tab }
  | { type: 'selectLayer'; layer: string }
  | { type: 'selectStep'; step: number }
  | { type: 'stepBy'; delta: number }
  | { type: 'stepToEnd'; end: 'first' | 'last' }
  | { type: 'setFollow'; follow: boolean }
  | { type: 'toggleShown'; layer: string }
  | { type: 'toggleMetric'; name: string }
  | { type: 'choose'; run: string; choices: PanelChoices }
  | { type: 'focusRun'; run: string }
  | { type: 'setFinal'; figure?: FinalFigure; key?: string }
  | {
      type: 'setOption';
      option: BooleanOption;
      value: boolean;
    }
  | { type: 'setStyle'; style: OrientationStyle }
  | { type: 'sortBy'; field: SortField };

/** The view options a checkbox toggles. */
export const BOOLEAN_OPTIONS = [
  'multiples',
  'logX',
  'showStableRank',
  'showActive',
  'normaliseA',
  'logA',
  'trajectories',
  'rawOrder',
  'activeOnly',
] as const;
export type BooleanOption = (typeof BOOLEAN_OPTIONS)[number];

const LIVE: readonly RunInfo['status'][] = ['running', 'watching'];

export function initialView(saved?: Partial<ViewState>): ViewState {
  return {
    tab: 'overSteps',
    follow: true,
    shown: [],
    shownMetrics: [],
    multiples: false,
    logX: false,
    showStableRank: false,
    showActive: false,
    normaliseA: false,
    logA: false,
    trajectories: false,
    orientationStyle: 'clusters',
    rawOrder: false,
    sort: { field: 'model', descending: false },
    finalFigure: 'effectiveClusters',
    ...sanitizeSaved(saved),
  };
}

export function initialState(saved?: Partial<ViewState>): PanelState {
  return {
    compared: [],
    layers: [],
    series: {},
    loss: [],
    metrics: {},
    runs: [],
    problems: [],
    notes: [],
    steps: [],
    ready: false,
    view: initialView(saved),
  };
}

/** Keeps only well-typed fields of a saved state (it may come from an older version). */
function sanitizeSaved(saved: Partial<ViewState> | undefined): Partial<ViewState> {
  if (!saved || typeof saved !== 'object') return {};
  const out: Partial<ViewState> = {};
  if (TABS.includes(saved.tab as Tab)) out.tab = saved.tab;
  if (typeof saved.layer === 'string') out.layer = saved.layer;
  if (typeof saved.step === 'number' && Number.isFinite(saved.step)) out.step = saved.step;
  for (const k of ['shown', 'shownMetrics'] as const)
    if (Array.isArray(saved[k])) out[k] = saved[k].filter((l): l is string => typeof l === 'string');
  for (const k of ['follow', ...BOOLEAN_OPTIONS] as const) {
    if (typeof saved[k] === 'boolean') out[k] = saved[k];
  }
  if (saved.orientationStyle === 'paper' || saved.orientationStyle === 'clusters')
    out.orientationStyle = saved.orientationStyle;
  if (saved.choices && typeof saved.choices === 'object') {
    const choices: Record<string, PanelChoices> = {};
    for (const [run, c] of Object.entries(saved.choices as Record<string, PanelChoices>)) {
      if (!c || typeof c !== 'object') continue;
      const kept: PanelChoices = {};
      if (typeof c.threshold === 'number' && c.threshold >= -1 && c.threshold <= 1) kept.threshold = c.threshold;
      if (c.similarity === 'signed' || c.similarity === 'absolute') kept.similarity = c.similarity;
      choices[run] = kept;
    }
    out.choices = choices;
  }
  if (typeof saved.focus === 'string') out.focus = saved.focus;
  if (FINAL_FIGURES.includes(saved.finalFigure as FinalFigure)) out.finalFigure = saved.finalFigure;
  if (typeof saved.finalKey === 'string') out.finalKey = saved.finalKey;
  if (saved.sort && typeof saved.sort.field === 'string' && typeof saved.sort.descending === 'boolean')
    out.sort = { ...saved.sort };
  return out;
}

export function reduce(state: PanelState, action: Action): PanelState {
  switch (action.type) {
    case 'host':
      return onHost(state, action.message);
    case 'selectTab':
      return withView(state, { tab: action.tab });
    case 'selectLayer':
      return state.layers.includes(action.layer) ? selectLayer(state, action.layer) : state;
    case 'selectStep':
      return withView(state, { step: nearestStep(state.steps, action.step), follow: false });
    case 'stepBy': {
      if (state.steps.length === 0) return state;
      const i = stepIndex(state);
      const next = Math.min(state.steps.length - 1, Math.max(0, i + action.delta));
      return withView(state, { step: state.steps[next], follow: false });
    }
    case 'stepToEnd':
      if (state.steps.length === 0) return state;
      return withView(state, {
        step: action.end === 'first' ? state.steps[0] : state.steps[state.steps.length - 1],
        follow: false,
      });
    case 'setFollow':
      return withView(state, { follow: action.follow, step: action.follow ? lastStep(state) : state.view.step });
    case 'toggleShown': {
      const shown = state.view.shown.includes(action.layer)
        ? state.view.shown.filter((l) => l !== action.layer)
        : state.layers.filter((l) => l === action.layer || state.view.shown.includes(l));
      return withView(state, { shown: shown.length > 0 ? shown : state.view.shown });
    }
    case 'choose': {
      const choices = state.view.choices ?? {};
      return withView(state, { choices: { ...choices, [action.run]: { ...choices[action.run], ...action.choices } } });
    }
    case 'focusRun':
      if (!state.compared.some((r) => r.run.id === action.run)) return state;
      return withRuns(withView(state, { focus: action.run }), state.compared);
    case 'setFinal':
      return withView(state, {
        finalFigure: action.figure ?? state.view.finalFigure,
        finalKey: action.key ?? state.view.finalKey,
      });
    case 'toggleMetric': {
      const shown = state.view.shownMetrics;
      return withView(state, {
        shownMetrics: shown.includes(action.name) ? shown.filter((n) => n !== action.name) : [...shown, action.name],
      });
    }
    case 'setOption':
      return withView(state, { [action.option]: action.value });
    case 'setStyle':
      return withView(state, { orientationStyle: action.style });
    case 'sortBy': {
      const s = state.view.sort;
      return withView(state, {
        sort: {
          field: action.field,
          descending: s.field === action.field ? !s.descending : !ASCENDING_FIRST.includes(action.field),
        },
      });
    }
  }
}

function onHost(state: PanelState, m: HostMessage): PanelState {
  switch (m.type) {
    case 'init': {
      const next = { ...withRuns(state, m.runs.map(runData)), ready: true };
      const { layers, steps } = next;
      const saved = state.view;
      // A saved layer that no longer exists falls back to the first layer.
      const layer = saved.layer !== undefined && layers.includes(saved.layer) ? saved.layer : layers[0];
      const shownSaved = saved.shown.filter((l) => layers.includes(l));
      const live = m.runs.some((r) => LIVE.includes(r.run.status));
      const follow = state.ready || saved.step !== undefined ? saved.follow && live : live;
      const step = follow || saved.step === undefined ? steps[steps.length - 1] : nearestStep(steps, saved.step);
      return withView(next, {
        layer,
        shown: shownSaved.length > 0 ? shownSaved : layer !== undefined ? [layer] : [],
        follow,
        step,
      });
    }
    case 'cleared':
      return { ...initialState(state.view), runs: state.runs };
    case 'runs':
      return { ...state, runs: m.runs };
    case 'status':
      return updateRun(state, m.run.id, (r) => ({ ...r, run: m.run }));
    case 'series': {
      const next = updateRun(state, m.run, (r) => {
        const series = { ...r.series, [m.layer]: mergeByStep(m.reset ? [] : (r.series[m.layer] ?? []), m.points) };
        const layers = r.layers.includes(m.layer) ? r.layers : [...r.layers, m.layer];
        return { ...r, layers, series, steps: stepUnion(series) };
      });
      if (next === state) return state;
      const layer = state.view.layer ?? m.layer;
      const shown = state.view.shown.length > 0 ? state.view.shown : [layer];
      const step =
        state.view.follow || state.view.step === undefined ? lastStep(next) : nearestStep(next.steps, state.view.step);
      return withView(next, { layer, shown, step });
    }
    case 'loss':
      return updateRun(state, m.run, (r) => ({ ...r, loss: mergeByStep(m.reset ? [] : r.loss, m.points) }));
    case 'metric':
      return updateRun(state, m.run, (r) => ({
        ...r,
        metrics: { ...r.metrics, [m.name]: mergeByStep(m.reset ? [] : (r.metrics[m.name] ?? []), m.points) },
      }));
    case 'problem':
      return updateRun(state, m.run, (r) => ({
        ...r,
        problems: [...r.problems.filter((p) => p.path !== m.problem.path), m.problem],
      }));
    case 'notes':
      return updateRun(state, m.run, (r) => ({
        ...r,
        notes: [
          ...r.notes.filter((n) => n.path !== m.checkpoint.path),
          ...(m.checkpoint.notes.length > 0 ? [m.checkpoint] : []),
        ],
      }));
    case 'settings':
      return updateRun(state, m.run, (r) => ({ ...r, settings: m.settings }));
    case 'select': {
      const picked = state.layers.includes(m.layer) ? selectLayer(state, m.layer) : state;
      const step = nearestStep(picked.steps, m.step);
      return withView(picked, {
        tab: 'orientation',
        step,
        follow: step === lastStep(picked) && state.compared.some((r) => LIVE.includes(r.run.status)),
      });
    }
    case 'detail':
    case 'exported':
    case 'error':
      return state;
  }
}

function runData(r: RunState): RunData {
  const series = Object.fromEntries(r.layers.map((l) => [l, mergeByStep([], r.series[l] ?? [])]));
  return {
    run: r.run,
    settings: r.settings,
    layers: [...r.layers],
    series,
    loss: mergeByStep([], r.loss),
    metrics: Object.fromEntries(Object.entries(r.metrics ?? {}).map(([n, p]) => [n, mergeByStep([], p)])),
    problems: [...r.problems],
    notes: [...(r.notes ?? [])],
    steps: stepUnion(series),
  };
}

/** Replaces one run (a message naming a run the panel does not show changes nothing). */
function updateRun(state: PanelState, id: string, update: (r: RunData) => RunData): PanelState {
  const i = state.compared.findIndex((r) => r.run.id === id);
  if (i < 0) return state;
  return withRuns(
    state,
    state.compared.map((r, j) => (j === i ? update(r) : r)),
  );
}

/** The runs, with the focused run's data and every run's layers and steps where the single-run views read them. */
function withRuns(state: PanelState, compared: RunData[]): PanelState {
  const focus = focusedRun({ ...state, compared });
  const layers = [...new Set([...(focus?.layers ?? []), ...compared.flatMap((r) => r.layers)])];
  const steps =
    compared.length === 1 ? compared[0].steps : [...new Set(compared.flatMap((r) => r.steps))].sort((a, b) => a - b);
  return {
    ...state,
    compared,
    run: focus?.run,
    settings: focus?.settings,
    layers,
    series: focus?.series ?? {},
    loss: focus?.loss ?? [],
    metrics: focus?.metrics ?? {},
    problems: focus?.problems ?? [],
    notes: focus?.notes ?? [],
    steps,
  };
}

/** The run the single-run views show: the one picked, else the first. */
export function focusedRun(state: Pick<PanelState, 'compared' | 'view'>): RunData | undefined {
  return state.compared.find((r) => r.run.id === state.view.focus) ?? state.compared[0];
}

function selectLayer(state: PanelState, layer: string): PanelState {
  // With one layer shown, the picker replaces it; with several, it adds to them.
  const shown =
    state.view.shown.length <= 1
      ? [layer]
      : state.view.shown.includes(layer)
        ? state.view.shown
        : state.layers.filter((l) => l === layer || state.view.shown.includes(l));
  return withView(state, { layer, shown });
}

function withView(state: PanelState, patch: Partial<ViewState>): PanelState {
  return { ...state, view: { ...state.view, ...patch } };
}

function lastStep(state: PanelState): number | undefined {
  return state.steps[state.steps.length - 1];
}

/** Index of the selected step among `steps` (the last one when none is selected). */
export function stepIndex(state: PanelState): number {
  const { steps } = state;
  if (state.view.step === undefined) return steps.length - 1;
  const i = steps.indexOf(state.view.step);
  return i >= 0 ? i : steps.indexOf(nearestStep(steps, state.view.step) as number);
}

/** The existing step closest to `step` (ties to the earlier); undefined when there are none. */
export function nearestStep(steps: readonly number[], step: number): number | undefined {
  let best: number | undefined;
  for (const s of steps) if (best === undefined || Math.abs(s - step) < Math.abs(best - step)) best = s;
  return best;
}

/** The run's newest step: the trainer's report or the newest checkpoint, whichever is further. */
export function latestStep(state: PanelState): number | undefined {
  const candidates = [state.run?.step, state.steps[state.steps.length - 1]].filter((s): s is number => s !== undefined);
  return candidates.length > 0 ? Math.max(...candidates) : undefined;
}

/** The layers the panel shows, which the host analyses first: the selected one, those drawn, the table rows in view. */
export function layersInView(state: PanelState, visibleRows: readonly string[]): string[] {
  const { layer, shown } = state.view;
  return [...new Set([...(layer === undefined ? [] : [layer]), ...shown, ...visibleRows])];
}

/** What is kept with setState: the view, and the runs' folders so that the host can reopen the panel after a reload. */
export function savedState(state: PanelState): ViewState & SavedPanelState {
  if (state.compared.length === 0) return state.view;
  const runs = state.compared.map((r) => ({ folder: r.run.folder }));
  return { ...state.view, run: runs[0], runs };
}

/** The messages that rebuild this state in a standalone report: `init` with every run, then the details. */
export function snapshotMessages(state: PanelState, details: readonly RunDetail[]): HostMessage[] {
  if (state.compared.length === 0) return [];
  // initMessage keeps only the fields of each run's state (not the steps derived here).
  return replayMessages(initMessage(state.compared), details);
}

// The inspector panel: wires the host channel, the state, and the views; renders once per frame.
import type { ExportFormat, HostMessage, LayerDetail } from '../src/protocol/panel';
import { trajectoryNeurons, trajectorySteps, type OrientationStyle } from '../src/report/orientation';
import { activeOnlyByDefault } from '../src/report/similarity';
import { applyChartTheme } from './chartFrame';
import { CompareStepsView, FinalChart, RunLegend } from './compareCharts';
import { DetailLoader } from './detailLoader';
import { buildExport } from './exporter';
import { figureSvg, type FigureDetail } from './figureExport';
import { Header } from './header';
import { HeatmapView } from './heatmapView';
import { connectHost } from './host';
import { LayersTable } from './layersTable';
import { OrientationView } from './orientationView';
import { OverStepsView } from './overStepsView';
import { Scrubber } from './scrubber';
import { SideBySide } from './sideBySide';
import {
  initialState,
  layersInView,
  reduce,
  savedState,
  type Action,
  type PanelState,
  type Tab,
  type ViewState,
} from './state';
import { OptionToolbar, shownLayers, shownMetrics } from './tabToolbars';
import { onThemeChange, readTheme, type Theme } from './theme';
import { dropdown, registerControls, tabs } from './toolkit';
import { TrajectoryFrames } from './trajectoryFrames';

const TAB_LABELS: Record<Tab, string> = {
  overSteps: 'Over steps',
  orientation: 'Orientation',
  similarity: 'Similarity',
};

export function startPanel(root: HTMLElement): void {
  registerControls();
  let theme: Theme = readTheme();
  applyChartTheme(theme);
  let frame: number | undefined;
  const schedule = () => (frame ??= requestAnimationFrame(render));

  const channel = connectHost((m: HostMessage) => {
    // A re-analysis resets the series: a detail that failed while its step was being redone must be asked again.
    if (m.type === 'settings' || (m.type === 'series' && m.reset)) {
      loaders.get(m.run)?.clear();
      if (m.run === framesRun) frames.clear();
    }
    if (m.type === 'error') header.setMessage(m.message);
    // A new run, or the host again after a reload: it hears which layers are shown anew.
    if (m.type === 'init') sentInView = undefined;
    dispatch({ type: 'host', message: m });
  });
  let state: PanelState = initialState(channel.api.getState() as Partial<ViewState> | undefined);
  let savedView: ViewState | undefined;
  let savedRuns = '';
  function dispatch(action: Action): void {
    const next = reduce(state, action);
    if (next === state) return;
    state = next;
    const runs = state.compared.map((r) => r.run.folder).join('\n');
    if (state.view !== savedView || runs !== savedRuns) {
      savedView = state.view;
      savedRuns = runs;
      channel.api.setState(savedState(state));
    }
    schedule();
  }

  /** One detail loader per run: each asks for its own run's layer and step. */
  const loaders = new Map<string, DetailLoader>();
  const loaderOf = (run: string): DetailLoader => {
    let loader = loaders.get(run);
    if (!loader) {
      loader = new DetailLoader(
        (layer, step) => channel.handler.request({ type: 'detail', run, layer, step }),
        schedule,
      );
      loaders.set(run, loader);
    }
    return loader;
  };
  /** The trajectories are the focused run's: the run they were asked for. */
  let framesRun: string | undefined;
  const frames = new TrajectoryFrames(
    (layer, step) => channel.handler.request({ type: 'detail', run: framesRun ?? '', layer, step }),
    schedule,
  );
  /** Neurons picked by clicking, per layer: their trajectories are drawn instead of every active neuron's. */
  const picked = new Map<string, Set<number>>();
  const header = new Header(
    dispatch,
    (m) => channel.handler.send(m),
    (f) => void exportAs(f),
    channel.standalone,
  );
  const scrubber = new Scrubber(dispatch);
  const overSteps = new OverStepsView((step) => dispatch({ type: 'selectStep', step }));
  const orientation = new OrientationView((neuron) => {
    const layer = state.view.layer;
    if (layer === undefined) return;
    const set = new Set(picked.get(layer));
    if (neuron === undefined) set.clear();
    else if (!set.delete(neuron)) set.add(neuron);
    picked.set(layer, set);
    schedule();
  });
  const heatmap = new HeatmapView();
  // Compare (several runs): overlaid series with a legend, a final figure against a config value, views side by side.
  const legend = new RunLegend();
  const compareSteps = new CompareStepsView((step) => dispatch({ type: 'selectStep', step }));
  const finalChart = new FinalChart(dispatch);
  // Over several runs only the step axis is an option: the other series toggles are the single-run chart's.
  const compareOptions = new OptionToolbar('Compare options', [['Log step axis', 'logX']], dispatch);
  const orientations = new SideBySide('orientation');
  const heatmaps = new SideBySide('similarity');
  const compareParts = [
    legend.element,
    compareOptions.element,
    compareSteps.element,
    finalChart.element,
    orientations.element,
    heatmaps.element,
  ];
  const singleParts = [orientation.element, heatmap.element];
  const shown = shownLayers(dispatch);
  const metricsShown = shownMetrics(dispatch);
  const stepOptions = new OptionToolbar(
    'Over steps options',
    [
      ['Small multiples', 'multiples'],
      ['Log step axis', 'logX'],
      ['Stable rank', 'showStableRank'],
      ['Active neurons', 'showActive'],
    ],
    dispatch,
  );
  const orientationOptions = new OptionToolbar(
    'Orientation options',
    [
      ['Trajectories', 'trajectories'],
      ['Log A axis', 'logA'],
      ['Normalise A by its maximum', 'normaliseA'],
    ],
    dispatch,
  );
  const styleChoice = dropdown(
    'Colours',
    [
      { value: 'clusters', label: 'by cluster' },
      { value: 'paper', label: 'paper (active red, static grey)' },
    ],
    state.view.orientationStyle,
    (style) => dispatch({ type: 'setStyle', style: style as OrientationStyle }),
  );
  orientationOptions.element.append(styleChoice.element);
  const heatmapOptions = new OptionToolbar(
    'Similarity options',
    [
      ['Active neurons only', 'activeOnly'],
      ['Raw neuron order', 'rawOrder'],
    ],
    dispatch,
  );
  let visibleRows: string[] = [];
  let sentInView: string | undefined;
  const table = new LayersTable(
    (field) => dispatch({ type: 'sortBy', field }),
    (layer) => dispatch({ type: 'selectLayer', layer }),
    channel.standalone
      ? undefined
      : (layer) => state.run && channel.handler.send({ type: 'analyseLayer', run: state.run.id, layer }),
    (rows) => {
      visibleRows = rows;
      schedule();
    },
  );

  const content = (...parts: HTMLElement[]) => {
    const div = document.createElement('div');
    div.className = 'tab-content';
    div.append(...parts);
    return div;
  };
  const tabControl = tabs(
    'Views',
    [
      {
        id: 'overSteps',
        label: TAB_LABELS.overSteps,
        content: content(
          shown.element,
          metricsShown.element,
          stepOptions.element,
          compareOptions.element,
          overSteps.element,
          compareSteps.element,
          finalChart.element,
        ),
      },
      {
        id: 'orientation',
        label: TAB_LABELS.orientation,
        content: content(orientationOptions.element, orientation.element, orientations.element),
      },
      {
        id: 'similarity',
        label: TAB_LABELS.similarity,
        content: content(heatmapOptions.element, heatmap.element, heatmaps.element),
      },
    ],
    state.view.tab,
    (id) => dispatch({ type: 'selectTab', tab: id as Tab }),
  );
  const main = document.createElement('main');
  main.append(scrubber.element, legend.element, tabControl.element, table.element);
  root.replaceChildren(header.element, main);

  onThemeChange(() => {
    theme = readTheme();
    applyChartTheme(theme);
    schedule();
  });

  function render(): void {
    frame = undefined;
    const v = state.view;
    if (state.run?.id !== framesRun) {
      frames.clear();
      framesRun = state.run?.id;
    }
    header.update(state);
    scrubber.update(state);
    tabControl.set(v.tab);
    table.update(state);
    tellLayersInView();
    const comparing = state.compared.length > 1;
    for (const part of compareParts) part.hidden = !comparing;
    for (const part of [...singleParts, overSteps.element, shown.element, metricsShown.element, stepOptions.element])
      part.hidden = comparing;
    if (comparing) return renderCompare();
    if (v.tab === 'overSteps') {
      shown.update(state);
      metricsShown.update(state);
      stepOptions.update(state);
      overSteps.update(state, theme);
      return;
    }
    const { note } = currentDetail();
    const figure = figureDetail();
    if (v.tab === 'orientation') {
      orientationOptions.update(state);
      styleChoice.set({ value: v.orientationStyle });
      orientation.update(
        figure && {
          detail: figure.detail,
          options: { style: v.orientationStyle, logA: v.logA, normalise: v.normaliseA },
          inputDim: state.series[figure.detail.layer]?.find((p) => p.step === figure.detail.step)?.inputDim,
          frames: figure.frames,
          trajectoryOf: figure.trajectoryOf,
          picked: picked.get(figure.detail.layer) ?? new Set(),
        },
        theme,
        state.steps[0],
        note,
      );
    } else {
      heatmapOptions.update(state, figure ? { activeOnly: figure.activeOnly } : {});
      heatmap.update(figure?.detail, v.rawOrder, figure?.activeOnly ?? false, theme, note);
    }
  }

  function renderCompare(): void {
    const v = state.view;
    legend.update(state, theme);
    if (v.tab === 'overSteps') {
      compareOptions.update(state);
      compareSteps.update(state, theme);
      finalChart.update(state, theme);
    } else if (v.tab === 'orientation') {
      orientationOptions.update(state);
      styleChoice.set({ value: v.orientationStyle });
      orientations.update(state, theme, loaderOf);
    } else {
      heatmapOptions.update(state);
      heatmaps.update(state, theme, loaderOf);
    }
  }

  /** The detail shown with what the figures add to it: the active-only choice, trajectory frames and neurons. */
  function figureDetail(): FigureDetail | undefined {
    const { detail } = currentDetail();
    if (!detail) return undefined;
    const v = state.view;
    const activeOnly = v.activeOnly ?? activeOnlyByDefault(detail.cluster);
    if (!v.trajectories || v.tab !== 'orientation') return { detail, activeOnly, frames: [], trajectoryOf: [] };
    frames.note(detail);
    const layerSteps = (state.series[detail.layer] ?? []).map((p) => p.step);
    const pickedHere = [...(picked.get(detail.layer) ?? [])];
    return {
      detail,
      activeOnly,
      frames: frames.get(detail.layer, trajectorySteps(layerSteps, detail.step)),
      trajectoryOf: trajectoryNeurons(detail, pickedHere),
    };
  }

  /** The detail of the selected layer and step, or the last one drawn while it loads. */
  function currentDetail(): { detail?: LayerDetail; note: string } {
    const { layer, step } = state.view;
    // Before `init` the saved layer and step may not exist any more: ask nothing yet.
    if (!state.ready || !state.run) return { note: 'Waiting for the run…' };
    if (layer === undefined || step === undefined) return { note: state.run.noLayers ?? 'No checkpoint analysed yet.' };
    const loader = loaderOf(state.run.id);
    loader.want(layer, step);
    const detail = loader.get(layer, step);
    if (detail) return { detail, note: `${layer} at step ${step}.` };
    const error = loader.error(layer, step);
    return { note: error ?? `Loading ${layer} at step ${step}…` };
  }

  /** Says which layers are shown when that changed, so that the host analyses them first. */
  function tellLayersInView(): void {
    const layers = layersInView(state, visibleRows);
    const key = JSON.stringify(layers);
    if (!state.ready || channel.standalone || layers.length === 0 || key === sentInView) return;
    sentInView = key;
    channel.handler.send({ type: 'showLayers', layers });
  }

  async function exportAs(format: ExportFormat): Promise<void> {
    try {
      const message = await buildExport(format, {
        state,
        details: () => [...loaders].flatMap(([run, l]) => l.all().map((detail) => ({ run, detail }))),
        svg: () => figureSvg(state, figureDetail()),
        scale: header.scale,
      });
      // Said once the host has written the file; a cancelled save dialog says nothing.
      const reply = await channel.handler.request(message);
      if (reply.type === 'exported' && reply.path) header.setMessage(`Exported ${reply.path}.`);
    } catch (e) {
      header.setMessage((e as Error).message);
    }
  }

  channel.handler.send({ type: 'ready', choices: state.view.choices });
  schedule();
}

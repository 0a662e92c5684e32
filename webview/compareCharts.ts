// The Compare panel's charts: clusters, effective clusters and loss over steps with one line per run, coloured by
// run under a legend of the run labels; and a final figure of each run against a config value that differs.
import type { ChartConfiguration } from 'chart.js';
import { configKeyLabel, runLabels } from '../src/protocol/runLabels';
import { ChartFrame } from './chartFrame';
import {
  comparedAxisTitle,
  comparedLines,
  COMPARED_FIELDS,
  COMPARED_LABELS,
  finalAgainstConfig,
  lineSteps,
  pointNear,
  type ComparedField,
  type ComparedLine,
  type FinalPoint,
} from './compare';
import { formatValue } from './series';
import { FINAL_FIGURES, type Action, type FinalFigure, type PanelState } from './state';
import { attachStepPointer, placeStepCursor } from './stepPointer';
import type { Theme } from './theme';
import { dropdown } from './toolkit';

const FINAL_LABELS: Record<FinalFigure, string> = {
  effectiveClusters: 'final effective clusters',
  clusters: 'final clusters',
  loss: 'final loss',
};

/** A colour per run, in order (the theme's cluster colours, cycled). */
export function runColour(theme: Theme, index: number): string {
  return theme.clusters[index % theme.clusters.length];
}

/** The run labels with their colours, as text (the charts' legends are drawn in the canvas). */
export class RunLegend {
  readonly element = document.createElement('ul');

  constructor() {
    this.element.className = 'run-legend';
    this.element.setAttribute('aria-label', 'Runs compared');
  }

  update(state: PanelState, theme: Theme): void {
    const labels = runLabels(state.compared.map((r) => r.run));
    this.element.replaceChildren(
      ...state.compared.map((r, i) => {
        const li = document.createElement('li');
        li.dataset.run = r.run.id;
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = runColour(theme, i);
        const text = document.createElement('span');
        text.className = 'run-label';
        text.textContent = labels[i];
        text.title = r.run.folder;
        li.append(swatch, text);
        return li;
      }),
    );
  }
}

/** Clusters, effective clusters and loss of the selected layer against step, one line per run. */
export class CompareStepsView {
  readonly element = document.createElement('div');
  private readonly frames = new Map<ComparedField, ChartFrame>();
  /** Each chart's lines as drawn and the steps they span: what the hover reads. */
  private readonly lines = new Map<ComparedField, { lines: ComparedLine[]; steps: number[] }>();
  private drawn?: { compared: PanelState['compared']; layer?: string; logX: boolean; theme: Theme };
  private theme?: Theme;
  /** The selected step, where the cursors go after every layout. */
  private step?: number;

  constructor(onPickStep: (step: number) => void) {
    this.element.className = 'compare-steps';
    for (const field of COMPARED_FIELDS) {
      const frame = new ChartFrame(`${COMPARED_LABELS[field]} of every run against step`, `compare-chart`);
      frame.element.dataset.field = field;
      attachStepPointer(frame, {
        steps: () => this.lines.get(field)?.steps ?? [],
        hover: (step) => this.hoverAt(field, step),
        pick: onPickStep,
      });
      this.frames.set(field, frame);
      this.element.append(frame.element);
    }
  }

  update(state: PanelState, theme: Theme): void {
    const { compared } = state;
    const { layer, logX, step } = state.view;
    this.step = step;
    const d = this.drawn;
    if (!d || d.compared !== compared || d.layer !== layer || d.logX !== logX || d.theme !== theme) {
      this.drawn = { compared, layer, logX, theme };
      this.theme = theme;
      for (const [field, frame] of this.frames) this.draw(field, frame, state, theme);
    }
    for (const frame of this.frames.values()) placeStepCursor(frame, step);
  }

  private draw(field: ComparedField, frame: ChartFrame, state: PanelState, theme: Theme): void {
    const { layer, logX } = state.view;
    const { lines, logY } = comparedLines(state.compared, layer, field, logX);
    this.lines.set(field, { lines, steps: lineSteps(lines) });
    const datasets = lines.map((l) => ({
      label: l.label,
      data: l.points,
      borderColor: runColour(theme, l.index),
      backgroundColor: runColour(theme, l.index),
      borderWidth: 1.5,
      pointRadius: l.points.length > 60 ? 0 : 2,
    }));
    frame.element.dataset.runs = String(lines.filter((l) => l.points.length > 0).length);
    const config: ChartConfiguration<'line'> = {
      type: 'line',
      data: { datasets },
      options: {
        parsing: false,
        normalized: true,
        events: ['click'], // legend clicks only: hover is ours
        scales: {
          x: { type: logX ? 'logarithmic' : 'linear', title: { display: true, text: 'step' } },
          y: {
            type: logY ? 'logarithmic' : 'linear',
            beginAtZero: field !== 'loss',
            title: { display: true, text: comparedAxisTitle(field, layer) },
          },
        },
        plugins: {
          legend: { position: 'top', align: 'start', labels: { boxWidth: 14, boxHeight: 2 } },
          decimation: { enabled: true, algorithm: 'min-max' },
        },
      },
    };
    frame.render(config, () => placeStepCursor(frame, this.step));
  }

  /** "step 120", then each run's value nearest that step, its label in its colour. */
  private hoverAt(field: ComparedField, step: number): Node[] | undefined {
    const drawn = this.lines.get(field);
    const theme = this.theme;
    if (!drawn || !theme) return undefined;
    const head = Object.assign(document.createElement('div'), { className: 'hover-step', textContent: `step ${step}` });
    const rows = drawn.lines.flatMap((l) => {
      const p = pointNear(l.points, step);
      if (!p) return [];
      const row = document.createElement('div');
      row.className = 'hover-run';
      row.dataset.run = l.run;
      const swatch = Object.assign(document.createElement('span'), { className: 'swatch' });
      swatch.style.background = runColour(theme, l.index);
      const label = Object.assign(document.createElement('span'), { className: 'run-label', textContent: l.label });
      label.style.color = runColour(theme, l.index);
      const value = Object.assign(document.createElement('span'), {
        className: 'hover-value',
        textContent: ` ${formatValue(p.y)}${p.x !== step ? ` (step ${p.x})` : ''}`,
      });
      row.append(swatch, label, value);
      return [row];
    });
    return [head, ...rows];
  }
}

/** A final figure of each run against a config value that differs between them (effective clusters against γ). */
export class FinalChart {
  readonly element = document.createElement('section');
  private readonly figure;
  private readonly key;
  private readonly frame = new ChartFrame('A final figure of each run against a config value', 'final-chart');
  private readonly note = document.createElement('p');
  private readonly table = document.createElement('table');
  private drawn?: { compared: PanelState['compared']; key: string; theme: Theme };

  constructor(dispatch: (a: Action) => void) {
    this.element.className = 'final-vs-config';
    this.figure = dropdown(
      'Final figure',
      FINAL_FIGURES.map((f) => ({ value: f, label: FINAL_LABELS[f] })),
      'effectiveClusters',
      (v) => dispatch({ type: 'setFinal', figure: v as FinalFigure }),
    );
    this.key = dropdown('against', [], '', (key) => dispatch({ type: 'setFinal', key }));
    const controls = document.createElement('div');
    controls.className = 'toolbar';
    controls.append(this.figure.element, this.key.element);
    this.note.className = 'note';
    this.table.className = 'final-table';
    this.element.append(controls, this.note, this.frame.element, this.table);
  }

  update(state: PanelState, theme: Theme): void {
    const v = state.view;
    const model = finalAgainstConfig(state.compared, v.layer, v.finalFigure, v.finalKey);
    this.figure.set({ value: v.finalFigure });
    this.key.set({ choices: model.keys.map((k) => ({ value: k, label: configKeyLabel(k) })), value: model.key ?? '' });
    this.key.element.hidden = model.keys.length === 0;
    const none = model.key === undefined;
    this.frame.element.hidden = none;
    this.table.hidden = none;
    this.note.textContent = none
      ? 'No number in the runs’ run.json config differs between them: there is nothing to chart a final figure against.'
      : `${FINAL_LABELS[v.finalFigure]}${v.finalFigure === 'loss' ? '' : ` of ${v.layer ?? ''}`} against ${model.axis}.`;
    if (none) return;
    const key = JSON.stringify([v.layer, v.finalFigure, model.key]);
    const d = this.drawn;
    if (d && d.compared === state.compared && d.key === key && d.theme === theme) return;
    this.drawn = { compared: state.compared, key, theme };
    this.fillTable(model.axis ?? '', FINAL_LABELS[v.finalFigure], model.points);
    const colours = model.points.map((p) =>
      runColour(
        theme,
        state.compared.findIndex((r) => r.run.id === p.run),
      ),
    );
    this.frame.render(
      {
        type: 'scatter',
        data: {
          datasets: [
            {
              label: FINAL_LABELS[v.finalFigure],
              data: model.points.map((p) => ({ x: p.x, y: p.y })),
              pointBackgroundColor: colours,
              pointBorderColor: colours,
              pointRadius: 5,
              showLine: model.points.length > 1,
              borderColor: theme.muted,
              borderWidth: 1,
            },
          ],
        },
        options: {
          parsing: false,
          events: ['click'],
          scales: {
            x: { type: 'linear', title: { display: true, text: model.axis } },
            y: {
              type: 'linear',
              beginAtZero: v.finalFigure !== 'loss',
              title: { display: true, text: FINAL_LABELS[v.finalFigure] },
            },
          },
          plugins: { legend: { display: false } },
        },
      },
      () => undefined,
    );
  }

  private fillTable(axis: string, figure: string, points: FinalPoint[]): void {
    const head = document.createElement('tr');
    head.append(...['run', axis, figure].map((t) => Object.assign(document.createElement('th'), { textContent: t })));
    const rows = points.map((p) => {
      const tr = document.createElement('tr');
      tr.dataset.run = p.run;
      tr.append(
        ...[p.label, formatValue(p.x), formatValue(p.y)].map((t) =>
          Object.assign(document.createElement('td'), { textContent: t }),
        ),
      );
      return tr;
    });
    this.table.replaceChildren(head, ...rows);
  }
}

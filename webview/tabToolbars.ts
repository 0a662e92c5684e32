// The option rows above each tab's chart: shown layers and series toggles, orientation and similarity options.
import type { Action, PanelState } from './state';
import { checkbox, type Control } from './toolkit';

type Option = Extract<Action, { type: 'setOption' }>['option'];

function optionBox(label: string, option: Option, dispatch: (a: Action) => void): [Option, Control<boolean>] {
  return [option, checkbox(label, false, (value) => dispatch({ type: 'setOption', option, value }))];
}

function row(label: string): HTMLElement {
  const r = document.createElement('div');
  r.className = 'toolbar';
  r.setAttribute('role', 'group');
  r.setAttribute('aria-label', label);
  return r;
}

/** Toggles of the view options, kept in step with the state. */
export class OptionToolbar {
  readonly element: HTMLElement;
  private readonly boxes: [Option, Control<boolean>][];

  constructor(label: string, options: [string, Option][], dispatch: (a: Action) => void) {
    this.element = row(label);
    this.boxes = options.map(([text, option]) => optionBox(text, option, dispatch));
    this.element.append(...this.boxes.map(([, c]) => c.element));
  }

  /** `effective` overrides options whose unset value depends on the data (Active neurons only). */
  update(state: PanelState, effective: Partial<Record<Option, boolean>> = {}): void {
    for (const [option, c] of this.boxes) c.set(effective[option] ?? state.view[option] ?? false);
  }
}

/** One checkbox per name (a layer, a metrics.jsonl field): which of them "Over steps" draws. */
class ShownToggles {
  readonly element: HTMLElement;
  private boxes = new Map<string, Control<boolean>>();
  private names: string[] = [];

  constructor(
    label: string,
    private readonly choices: {
      names(state: PanelState): string[];
      shown(state: PanelState): string[];
      toggle(name: string): Action;
      /** Fewer names than this hide the row. */
      minimum: number;
    },
    private readonly dispatch: (a: Action) => void,
  ) {
    this.element = row(label);
  }

  update(state: PanelState): void {
    const names = this.choices.names(state);
    if (names.join('\n') !== this.names.join('\n')) {
      this.names = names;
      this.boxes = new Map(
        names.map((name) => [name, checkbox(name, false, () => this.dispatch(this.choices.toggle(name)))]),
      );
      this.element.replaceChildren(...[...this.boxes.values()].map((c) => c.element));
      this.element.hidden = names.length < this.choices.minimum;
    }
    const shown = this.choices.shown(state);
    for (const [name, c] of this.boxes) c.set(shown.includes(name));
  }
}

/** Which layers "Over steps" draws (shown from two layers on). */
export const shownLayers = (dispatch: (a: Action) => void) =>
  new ShownToggles(
    'Layers shown',
    {
      names: (s) => s.layers,
      shown: (s) => s.view.shown,
      toggle: (layer) => ({ type: 'toggleShown', layer }),
      minimum: 2,
    },
    dispatch,
  );

/** Which metrics.jsonl fields besides the loss (accuracy, learning rate …) "Over steps" adds to the chart. */
export const shownMetrics = (dispatch: (a: Action) => void) =>
  new ShownToggles(
    'Metrics shown',
    {
      names: (s) => Object.keys(s.metrics),
      shown: (s) => s.view.shownMetrics,
      toggle: (name) => ({ type: 'toggleMetric', name }),
      minimum: 1,
    },
    dispatch,
  );

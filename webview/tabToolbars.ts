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

/** One checkbox per layer: which layers "Over steps" draws. */
export class ShownLayers {
  readonly element = row('Layers shown');
  private boxes = new Map<string, Control<boolean>>();
  private layers: string[] = [];

  constructor(private readonly dispatch: (a: Action) => void) {}

  update(state: PanelState): void {
    if (state.layers !== this.layers) {
      this.layers = state.layers;
      this.boxes = new Map(
        state.layers.map((layer) => [
          layer,
          checkbox(layer, false, () => this.dispatch({ type: 'toggleShown', layer })),
        ]),
      );
      this.element.replaceChildren(...[...this.boxes.values()].map((c) => c.element));
      this.element.hidden = state.layers.length < 2;
    }
    for (const [layer, c] of this.boxes) c.set(state.view.shown.includes(layer));
  }
}

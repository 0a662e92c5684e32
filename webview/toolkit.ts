// The only module that knows @vscode/webview-ui-toolkit (deprecated upstream): swap controls here.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
} from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerControls(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodePanels(),
    vsCodePanelTab(),
    vsCodePanelView(),
  );
}

/** A control and a way to set its value without firing the change callback. */
export interface Control<T> {
  element: HTMLElement;
  set(value: T): void;
}

export function button(
  label: string,
  onClick: () => void,
  opts: { secondary?: boolean; title?: string } = {},
): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  if (opts.secondary) b.setAttribute('appearance', 'secondary');
  if (opts.title) b.title = opts.title;
  b.setAttribute('aria-label', opts.title ?? label);
  b.addEventListener('click', onClick);
  return b;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): Control<boolean> {
  const c = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  c.textContent = label;
  c.checked = checked;
  let quiet = false;
  c.addEventListener('change', (e) => {
    e.stopPropagation();
    if (!quiet) onChange(c.checked);
  });
  return {
    element: c,
    set(value) {
      if (c.checked === value) return;
      quiet = true;
      c.checked = value;
      quiet = false;
    },
  };
}

export interface Choice {
  value: string;
  label: string;
}

/** A labelled dropdown; `set` also replaces the choices. */
export function dropdown(
  label: string,
  choices: Choice[],
  value: string,
  onChange: (value: string) => void,
): Control<{ choices?: Choice[]; value: string }> {
  const wrap = document.createElement('label');
  wrap.className = 'field';
  const caption = document.createElement('span');
  caption.textContent = label;
  const d = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  d.setAttribute('aria-label', label);
  wrap.append(caption, d);
  let quiet = false;
  let current: Choice[] = [];
  const fill = (list: Choice[]) => {
    current = list;
    d.replaceChildren(
      ...list.map((c) => {
        const o = document.createElement('vscode-option') as HTMLElement & { value: string };
        o.setAttribute('value', c.value);
        o.textContent = c.label;
        return o;
      }),
    );
  };
  d.addEventListener('change', (e) => {
    e.stopPropagation();
    if (!quiet && d.value !== undefined) onChange(d.value);
  });
  fill(choices);
  const control: Control<{ choices?: Choice[]; value: string }> = {
    element: wrap,
    set({ choices: next, value: v }) {
      quiet = true;
      if (next && !sameChoices(next, current)) fill(next);
      // The element picks up new options asynchronously; set the value after it has.
      d.value = v;
      queueMicrotask(() => {
        if (d.value !== v) d.value = v;
        quiet = false;
      });
    },
  };
  control.set({ value });
  return control;
}

function sameChoices(a: Choice[], b: Choice[]): boolean {
  return a.length === b.length && a.every((c, i) => c.value === b[i].value && c.label === b[i].label);
}

export interface TabDef {
  id: string;
  label: string;
  content: HTMLElement;
}

/** Tabs with their views; `set` activates a tab by id without firing `onChange`. */
export function tabs(label: string, defs: TabDef[], active: string, onChange: (id: string) => void): Control<string> {
  const panels = document.createElement('vscode-panels') as HTMLElement & { activeid: string };
  panels.setAttribute('aria-label', label);
  const tabEls = defs.map((t) => {
    const tab = document.createElement('vscode-panel-tab');
    tab.id = `tab-${t.id}`;
    tab.textContent = t.label;
    return tab;
  });
  const views = defs.map((t) => {
    const view = document.createElement('vscode-panel-view');
    view.id = `view-${t.id}`;
    view.append(t.content);
    return view;
  });
  panels.append(...tabEls, ...views);
  let quiet = false;
  panels.addEventListener('change', (e) => {
    if (e.target !== panels || quiet) return;
    onChange(panels.activeid.replace(/^tab-/, ''));
  });
  const control: Control<string> = {
    element: panels,
    set(id) {
      if (panels.activeid === `tab-${id}`) return;
      quiet = true;
      panels.setAttribute('activeid', `tab-${id}`);
      panels.activeid = `tab-${id}`;
      quiet = false;
    },
  };
  control.set(active);
  return control;
}

// The "Layers" table: every layer's latest figures, sortable; the text alternative to the charts.
import { FIELD_LABELS, FIELDS, formatValue, tableRows } from './series';
import type { PanelState, SortField } from './state';

export class LayersTable {
  readonly element: HTMLElement;
  private readonly table = document.createElement('table');
  private readonly caption = document.createElement('caption');
  private readonly body = document.createElement('tbody');
  private readonly headers = new Map<SortField, HTMLTableCellElement>();
  private drawn?: {
    series: PanelState['series'];
    layers: string[];
    sort: PanelState['view']['sort'];
    layer?: string;
    empty?: string;
  };

  constructor(onSort: (field: SortField) => void, onSelect: (layer: string) => void) {
    this.element = document.createElement('section');
    this.element.className = 'layers';
    this.element.setAttribute('aria-label', 'Layers');
    this.table.className = 'layers-table';
    const head = document.createElement('thead');
    const row = document.createElement('tr');
    for (const field of ['name', ...FIELDS] as SortField[]) {
      const th = document.createElement('th');
      th.scope = 'col';
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'sort';
      b.textContent = field === 'name' ? 'Layer' : FIELD_LABELS[field as (typeof FIELDS)[number]];
      b.addEventListener('click', () => onSort(field));
      th.append(b);
      this.headers.set(field, th);
      row.append(th);
    }
    head.append(row);
    this.table.append(this.caption, head, this.body);
    this.element.append(this.table);
    const pick = (e: Event) => {
      const tr = (e.target as HTMLElement).closest('tr[data-layer]');
      if (tr) onSelect((tr as HTMLElement).dataset.layer as string);
    };
    this.body.addEventListener('click', pick);
    this.body.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        pick(e);
      }
    });
  }

  update(state: PanelState): void {
    const v = state.view;
    const d = this.drawn;
    const empty = state.run?.noLayers;
    if (
      d &&
      d.series === state.series &&
      d.layers === state.layers &&
      d.sort === v.sort &&
      d.layer === v.layer &&
      d.empty === empty
    )
      return;
    this.drawn = { series: state.series, layers: state.layers, sort: v.sort, layer: v.layer, empty };
    const last = state.steps[state.steps.length - 1];
    this.caption.textContent =
      last === undefined
        ? empty
          ? `Layers: ${empty}`
          : 'Layers (no checkpoint analysed yet)'
        : `Layers at their latest checkpoint (up to step ${last}); select a row to show that layer`;
    for (const [field, th] of this.headers)
      th.setAttribute('aria-sort', field === v.sort.field ? (v.sort.descending ? 'descending' : 'ascending') : 'none');
    this.body.replaceChildren(
      ...tableRows(state.layers, state.series, v.sort).map(({ layer, point }) => {
        const tr = document.createElement('tr');
        tr.dataset.layer = layer;
        tr.tabIndex = 0;
        if (layer === v.layer) {
          tr.className = 'selected';
          tr.setAttribute('aria-current', 'true');
        }
        const name = document.createElement('th');
        name.scope = 'row';
        Object.assign(name.dataset, { layer, field: 'name' });
        name.textContent = layer;
        tr.append(name);
        for (const field of FIELDS) {
          const td = document.createElement('td');
          Object.assign(td.dataset, { layer, field });
          td.textContent = formatValue(point?.[field]);
          if (point?.[field] !== undefined) td.title = String(point[field]);
          tr.append(td);
        }
        if (point) tr.title = `step ${point.step}`;
        return tr;
      }),
    );
  }
}

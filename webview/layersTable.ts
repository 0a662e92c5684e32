// The "Layers" table: every layer's latest figures, kind and next layer, grouped by block in model order, sortable;
// the text alternative to the charts. A layer above analysis.maxNeurons offers to be analysed; the rows in view
// are reported, so that the host analyses them first.
import { blockOf } from '../src/protocol/report';
import { FIELD_LABELS, FIELDS, formatValue, tableRows, type TableRow } from './series';
import type { PanelState, SortField } from './state';

/** The figures a deferred layer lacks (docs/layers.md): its clusters, computed on request. */
const DEFERRED_FIELDS: readonly string[] = ['clusters', 'effectiveClusters', 'largestCluster'];

/** Sortable columns before the figures: model order (#) and the layer name; kind and next are plain columns. */
const LEAD: readonly { field: SortField | 'kind' | 'next'; label: string; aria?: string }[] = [
  { field: 'model', label: '#', aria: 'Model order' },
  { field: 'name', label: 'Layer' },
  { field: 'kind', label: 'Kind' },
  { field: 'next', label: 'Next layer' },
];

export class LayersTable {
  readonly element: HTMLElement;
  private readonly table = document.createElement('table');
  private readonly caption = document.createElement('caption');
  private readonly headers = new Map<SortField, HTMLTableCellElement>();
  /** Deferred layers the user asked to analyse, said "analysing" until their figures come. */
  private readonly requested = new Set<string>();
  private readonly visible = new Set<string>();
  private readonly observer: IntersectionObserver | undefined;
  private drawn?: {
    series: PanelState['series'];
    layers: string[];
    sort: PanelState['view']['sort'];
    layer?: string;
    empty?: string;
  };

  /**
   * `onAnalyse`: a deferred layer's button was clicked (absent in a standalone report, where nothing can be
   * analysed); `onVisible`: the layers whose rows are in view now.
   */
  constructor(
    onSort: (field: SortField) => void,
    onSelect: (layer: string) => void,
    private readonly onAnalyse?: (layer: string) => void,
    onVisible?: (layers: string[]) => void,
  ) {
    this.element = document.createElement('section');
    this.element.className = 'layers';
    this.element.setAttribute('aria-label', 'Layers');
    this.table.className = 'layers-table';
    const head = document.createElement('thead');
    const row = document.createElement('tr');
    const columns = [...LEAD, ...FIELDS.map((field) => ({ field, label: FIELD_LABELS[field], aria: undefined }))];
    for (const { field, label, aria } of columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      if (field === 'kind' || field === 'next') th.textContent = label;
      else {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'sort';
        b.textContent = label;
        if (aria) b.setAttribute('aria-label', aria);
        b.addEventListener('click', () => onSort(field));
        th.append(b);
        this.headers.set(field, th);
      }
      row.append(th);
    }
    head.append(row);
    this.table.append(this.caption, head, document.createElement('tbody'));
    this.element.append(this.table);
    const pick = (e: Event) => {
      const tr = (e.target as HTMLElement).closest('tr[data-layer]');
      if (tr) onSelect((tr as HTMLElement).dataset.layer as string);
    };
    this.table.addEventListener('click', (e) => {
      const analyse = (e.target as HTMLElement).closest('button.analyse');
      if (analyse) this.analyse(analyse as HTMLButtonElement);
      else pick(e);
    });
    this.table.addEventListener('keydown', (e) => {
      const target = e.target as HTMLElement;
      if ((e.key === 'Enter' || e.key === ' ') && target.closest('tbody') && !target.closest('button')) {
        e.preventDefault();
        pick(e);
      }
    });
    this.observer =
      onVisible &&
      new IntersectionObserver((entries) => {
        for (const entry of entries) {
          const layer = (entry.target as HTMLElement).dataset.layer as string;
          if (entry.isIntersecting) this.visible.add(layer);
          else this.visible.delete(layer);
        }
        onVisible([...this.visible]);
      });
  }

  private analyse(button: HTMLButtonElement): void {
    const layer = button.dataset.layer as string;
    this.requested.add(layer);
    this.onAnalyse?.(layer);
    button.disabled = true;
    button.textContent = 'analysing…';
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
    // Layers are listed as soon as a checkpoint names them; their figures arrive one layer at a time.
    const waiting = state.layers.filter((l) => (state.series[l] ?? []).length === 0).length;
    this.caption.textContent =
      last === undefined
        ? empty
          ? `Layers: ${empty}`
          : 'Layers (no checkpoint analysed yet)'
        : `Layers at their latest checkpoint (up to step ${last}); select a row to show that layer` +
          (waiting > 0 ? ` (${waiting} of ${state.layers.length} not analysed yet)` : '');
    for (const [field, th] of this.headers)
      th.setAttribute('aria-sort', field === v.sort.field ? (v.sort.descending ? 'descending' : 'ascending') : 'none');
    const order = new Map(state.layers.map((l, i) => [l, i + 1]));
    const rows = tableRows(state.layers, state.series, v.sort);
    this.table.querySelectorAll('tbody').forEach((b) => b.remove());
    this.table.append(...this.groups(rows, v.sort.field === 'model').map((group) => this.body(group, order, v.layer)));
    this.observer?.disconnect();
    this.visible.clear();
    this.table.querySelectorAll('tr[data-layer]').forEach((tr) => this.observer?.observe(tr));
  }

  /** In model order, one group per block (layers outside blocks each their own); else one group. */
  private groups(rows: TableRow[], byBlock: boolean): { block?: string; rows: TableRow[] }[] {
    if (!byBlock || !rows.some((r) => blockOf(r.layer))) return [{ rows }];
    const out: { block?: string; rows: TableRow[] }[] = [];
    for (const r of rows) {
      const block = blockOf(r.layer);
      const open = out[out.length - 1];
      if (open && block !== undefined && open.block === block) open.rows.push(r);
      else out.push({ block, rows: [r] });
    }
    return out;
  }

  private body(group: { block?: string; rows: TableRow[] }, order: Map<string, number>, selected?: string) {
    const tbody = document.createElement('tbody');
    if (group.block !== undefined) {
      tbody.className = 'block';
      const tr = document.createElement('tr');
      tr.className = 'block-header';
      const th = document.createElement('th');
      th.scope = 'rowgroup';
      th.colSpan = LEAD.length + FIELDS.length;
      th.textContent = group.block;
      tr.append(th);
      tbody.append(tr);
    }
    for (const { layer, point } of group.rows) {
      const tr = document.createElement('tr');
      tr.dataset.layer = layer;
      tr.tabIndex = 0;
      if (layer === selected) {
        tr.className = 'selected';
        tr.setAttribute('aria-current', 'true');
      }
      const cell = (field: string, text: string, tag: 'td' | 'th' = 'td') => {
        const c = document.createElement(tag);
        Object.assign(c.dataset, { layer, field });
        c.textContent = text;
        tr.append(c);
        return c;
      };
      cell('model', String(order.get(layer) ?? ''));
      (cell('name', layer, 'th') as HTMLTableCellElement).scope = 'row';
      const kind = cell('kind', point?.kind ?? '');
      if (point?.view) kind.title = `read ${point.view}`;
      cell('next', point?.next ?? '–');
      for (const field of FIELDS) {
        if (point?.deferred && DEFERRED_FIELDS.includes(field)) {
          this.deferredCell(cell(field, field === 'clusters' ? '' : '–'), field, layer, point.neurons);
          continue;
        }
        const td = cell(field, formatValue(point?.[field]));
        if (point?.[field] !== undefined) td.title = String(point[field]);
      }
      if (point) tr.title = `step ${point.step}`;
      tbody.append(tr);
    }
    return tbody;
  }

  /** The clusters cell of a deferred layer says so, with a button to analyse it; its other cluster figures are '–'. */
  private deferredCell(td: HTMLElement, field: string, layer: string, neurons: number): void {
    td.title = `above analysis.maxNeurons: the clusters are computed on request`;
    if (field !== 'clusters') return;
    td.className = 'deferred';
    if (!this.onAnalyse) {
      td.textContent = `not analysed (${neurons} neurons)`;
      return;
    }
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'analyse';
    b.dataset.layer = layer;
    b.textContent = `not analysed (${neurons} neurons; click to analyse)`;
    td.append(b);
    if (this.requested.has(layer)) {
      b.disabled = true;
      b.textContent = 'analysing…';
    }
  }
}

// "Similarity": the cosine-similarity heatmap as ImageData on a canvas, one pixel per cell, with axis labels,
// cluster boundaries and a titled colour bar; the active block alone when asked.
import type { HeatmapData, LayerDetail } from '../src/protocol/panel';
import { byteLut } from '../src/report/colormap';
import { canShowRawOrder, cellText, heatmapCell, heatmapPixels } from '../src/report/heatmapCells';
import { similarityModel } from '../src/report/similarity';
import type { Theme } from './theme';

function label(className: string, text = ''): HTMLElement {
  return Object.assign(document.createElement('div'), { className, textContent: text });
}

export class HeatmapView {
  readonly element: HTMLElement;
  /** Exactly `size` × `size` pixels: each pixel is one cell's color. */
  readonly canvas = document.createElement('canvas');
  /** Cluster boundaries, drawn at screen resolution over the cells. */
  private readonly marks = document.createElement('canvas');
  private readonly legend = document.createElement('canvas');
  private readonly note = document.createElement('p');
  private readonly hover = document.createElement('div');
  private readonly stage = document.createElement('div');
  private readonly xLabel = label('heatmap-axis x');
  private readonly yLabel = label('heatmap-axis y');
  private readonly legendTitle = label('legend-title');
  private drawn?: { detail: LayerDetail; raw: boolean; activeOnly: boolean; theme: Theme };
  /** What is drawn: the detail's heatmap, or its active block. */
  private shown?: HeatmapData;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'similarity';
    this.note.className = 'note';
    this.stage.className = 'heatmap-stage';
    this.canvas.className = 'heatmap';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Cosine similarity between neurons, in cluster order');
    this.marks.className = 'heatmap-marks';
    this.marks.setAttribute('aria-hidden', 'true');
    this.hover.className = 'hover-text';
    this.hover.hidden = true;
    this.stage.append(this.canvas, this.marks, this.hover);
    const legendBox = document.createElement('div');
    legendBox.className = 'heatmap-legend';
    this.legend.setAttribute('role', 'img');
    this.legend.setAttribute('aria-label', 'Color scale: blue is −1, background is 0, red is +1');
    const labels = document.createElement('div');
    labels.className = 'legend-labels';
    labels.append(...['−1', '0', '+1'].map((t) => Object.assign(document.createElement('span'), { textContent: t })));
    legendBox.append(this.legendTitle, this.legend, labels);
    const plot = document.createElement('div');
    plot.className = 'heatmap-plot';
    plot.append(this.yLabel, this.stage, this.xLabel);
    this.element.append(this.note, plot, legendBox);
    this.canvas.addEventListener('mousemove', (e) => this.onHover(e));
    this.canvas.addEventListener('mouseleave', () => (this.hover.hidden = true));
    new ResizeObserver(() => this.drawMarks()).observe(this.stage);
  }

  /** Redraws only when the detail, the order, the active-only choice or the theme changed. */
  update(
    detail: LayerDetail | undefined,
    rawOrder: boolean,
    activeOnlyWanted: boolean,
    theme: Theme,
    note: string,
  ): void {
    const h = detail?.heatmap;
    const raw = !!h && rawOrder && canShowRawOrder(h);
    // Raw order shows every neuron: the active block is a cluster-order notion.
    const activeOnly = activeOnlyWanted && !raw;
    const notes = [note];
    if (h && h.blockSize > 1)
      notes.push(
        `Block-averaged: each cell is the mean over ${h.blockSize} × ${h.blockSize} neurons (${h.order.length} neurons, display limit ${h.size}).`,
      );
    if (h && rawOrder && !raw) notes.push('Raw order is not available for a block-averaged heatmap.');
    if (h) notes.push(raw ? 'Raw neuron order.' : `Cluster order, ${h.similarity} similarity.`);
    if (h && activeOnlyWanted && raw) notes.push('Raw order shows every neuron.');
    this.note.textContent = notes.filter(Boolean).join(' ');
    if (!detail || !h) return;
    const d = this.drawn;
    if (d && d.detail === detail && d.raw === raw && d.activeOnly === activeOnly && d.theme === theme) return;
    this.drawn = { detail, raw, activeOnly, theme };
    const m = similarityModel(h, detail.cluster, activeOnly);
    const shown: HeatmapData = { ...h, size: m.size, values: m.cells, boundaries: m.boundaries };
    this.shown = shown;
    Object.assign(this.element.dataset, {
      layer: detail.layer,
      step: String(detail.step),
      order: raw ? 'raw' : 'cluster',
      activeOnly: String(m.activeOnly),
      size: String(m.size),
    });
    const axis = raw
      ? 'neurons by index'
      : m.activeOnly
        ? 'active neurons in cluster order'
        : 'neurons in cluster order';
    this.xLabel.textContent = axis;
    this.yLabel.textContent = axis;
    this.legendTitle.textContent = h.similarity === 'absolute' ? '|cosine similarity|' : 'cosine similarity';
    const lut = byteLut(theme.diverging);
    this.canvas.width = m.size;
    this.canvas.height = m.size;
    const ctx = this.canvas.getContext('2d');
    ctx?.putImageData(new ImageData(heatmapPixels(shown, m.cells, lut, raw), m.size, m.size), 0, 0);
    this.drawLegend(lut);
    this.drawMarks();
  }

  private drawLegend(lut: Uint8Array): void {
    this.legend.width = 256;
    this.legend.height = 1;
    const img = new ImageData(256, 1);
    for (let b = 0; b < 256; b++) img.data.set(lut.subarray(b * 4, b * 4 + 4), b * 4);
    this.legend.getContext('2d')?.putImageData(img, 0, 0);
  }

  private drawMarks(): void {
    const d = this.drawn;
    const box = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.marks.width = Math.round(box.width * dpr);
    this.marks.height = Math.round(box.height * dpr);
    const ctx = this.marks.getContext('2d');
    if (!ctx || !d || box.width === 0) return;
    ctx.clearRect(0, 0, this.marks.width, this.marks.height);
    if (d.raw || !this.shown) return;
    this.boundaryLines(ctx, this.marks.width / this.shown.size, d.theme, dpr);
  }

  /** A thin line before each cluster after the first, across and down, at `scale` pixels per cell. */
  private boundaryLines(ctx: CanvasRenderingContext2D, scale: number, theme: Theme, dpr: number): void {
    const h = this.shown;
    if (!h) return;
    const n = h.size * scale;
    ctx.strokeStyle = theme.foreground;
    ctx.lineWidth = dpr;
    ctx.beginPath();
    for (const b of h.boundaries) {
      const p = b * scale;
      ctx.moveTo(p, 0);
      ctx.lineTo(p, n);
      ctx.moveTo(0, p);
      ctx.lineTo(n, p);
    }
    ctx.stroke();
  }

  private onHover(e: MouseEvent): void {
    const d = this.drawn;
    const h = this.shown;
    if (!d || !h) return;
    const box = this.canvas.getBoundingClientRect();
    const col = Math.floor(((e.clientX - box.left) / box.width) * h.size);
    const row = Math.floor(((e.clientY - box.top) / box.height) * h.size);
    if (row < 0 || col < 0 || row >= h.size || col >= h.size) return;
    this.hover.textContent = cellText(heatmapCell(h, h.values, d.raw, row, col), d.detail.cluster);
    this.hover.hidden = false;
    const stage = this.stage.getBoundingClientRect();
    this.hover.style.left = `${Math.min(e.clientX - stage.left + 12, Math.max(0, stage.width - 260))}px`;
    this.hover.style.top = `${Math.max(0, e.clientY - stage.top - 28)}px`;
  }
}

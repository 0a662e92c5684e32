// A chart.js canvas with an HTML overlay over its plot area (cursor, hover text), themed and never animated.
import {
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import type { Theme } from './theme';

let registered = false;

/** Registers only the chart.js parts the panel uses, and turns animation off everywhere. */
function registerCharts(): void {
  if (registered) return;
  registered = true;
  Chart.register(
    LineController,
    ScatterController,
    LineElement,
    PointElement,
    LinearScale,
    LogarithmicScale,
    Decimation,
    Legend,
  );
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
}

export function applyChartTheme(theme: Theme): void {
  registerCharts();
  Chart.defaults.color = theme.foreground;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = theme.fontFamily;
  Chart.defaults.font.size = Math.max(10, theme.fontSize - 1);
}

/** The canvas, the plot-area overlay (which tests and the cursor use) and the hover box of one chart. */
export class ChartFrame {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  /** Covers exactly the plot area; carries the axis ranges as data-x-min … data-y-max. */
  readonly plotArea: HTMLElement;
  readonly hover: HTMLElement;
  chart?: Chart;
  private afterLayout: () => void = () => undefined;

  constructor(label: string, className: string) {
    this.element = document.createElement('figure');
    this.element.className = `chart ${className}`;
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', label);
    this.plotArea = document.createElement('div');
    this.plotArea.className = 'plot-area';
    this.hover = document.createElement('div');
    this.hover.className = 'hover-text';
    this.hover.hidden = true;
    this.element.append(this.canvas, this.plotArea, this.hover);
    this.canvas.addEventListener('mouseleave', () => (this.hover.hidden = true));
  }

  /** Creates the chart, or swaps its data and options in place without animation. */
  render(config: ChartConfiguration, afterLayout: () => void): void {
    registerCharts();
    this.afterLayout = afterLayout;
    if (this.chart && (this.chart.config as ChartConfiguration).type === config.type) {
      this.chart.data = config.data;
      this.chart.options = config.options ?? {};
      this.chart.update('none');
      return;
    }
    this.chart?.destroy();
    // The first draw happens inside the constructor, before `this.chart` is set: use the hook's chart.
    const overlay: Plugin = { id: 'overlay', afterDraw: (chart) => this.syncOverlay(chart) };
    this.chart = new Chart(this.canvas, { ...config, plugins: [...(config.plugins ?? []), overlay] });
  }

  /** Moves the overlay onto the plot area after every layout (resize, new data). */
  syncOverlay(c: Chart | undefined = this.chart): void {
    if (!c?.chartArea) return;
    const { left, top, width, height } = c.chartArea;
    Object.assign(this.plotArea.style, {
      left: `${left}px`,
      top: `${top}px`,
      width: `${width}px`,
      height: `${height}px`,
    });
    const { x, y } = c.scales;
    if (x && y) {
      this.plotArea.dataset.xMin = String(x.min);
      this.plotArea.dataset.xMax = String(x.max);
      this.plotArea.dataset.yMin = String(y.min);
      this.plotArea.dataset.yMax = String(y.max);
    }
    this.afterLayout();
  }

  /** Pointer position relative to the plot area, in CSS pixels. */
  pointer(e: MouseEvent): { x: number; y: number } {
    const r = this.plotArea.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  /** Text, or elements (the Compare charts' coloured run labels), in the hover box by the pointer. */
  showHover(content: string | Node[], e: MouseEvent): void {
    if (typeof content === 'string') this.hover.textContent = content;
    else this.hover.replaceChildren(...content);
    this.hover.hidden = false;
    const box = this.element.getBoundingClientRect();
    const x = e.clientX - box.left;
    const y = e.clientY - box.top;
    // Keep the box inside the figure: flip to the left of the pointer past the middle.
    this.hover.style.left = x > box.width / 2 ? '' : `${x + 12}px`;
    this.hover.style.right = x > box.width / 2 ? `${box.width - x + 12}px` : '';
    this.hover.style.top = `${Math.max(0, y - 28)}px`;
  }

  hideHover(): void {
    this.hover.hidden = true;
  }

  destroy(): void {
    this.chart?.destroy();
    this.element.remove();
  }
}

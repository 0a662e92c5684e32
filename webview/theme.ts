// Every color the charts and the heatmap use, read from VS Code's theme variables (light, dark, high contrast).
import { parseColor, rgbCss, type Diverging, type Rgb } from '../src/report/colormap';
import type { FigurePalette } from '../src/report/palette';
import type { Field } from './series';

export interface Theme {
  foreground: string;
  muted: string;
  grid: string;
  background: Rgb;
  fontFamily: string;
  fontSize: number;
  /** A color per charted series. */
  fields: Record<Field | 'loss', string>;
  /** Cluster colors, cycled. */
  clusters: string[];
  inactive: string;
  ghost: string;
  /** The paper style: active neurons and trajectories. */
  paper: { active: string; trajectory: string };
  cursor: string;
  diverging: Diverging;
}

const CHART_COLORS = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'] as const;

/** Reads a `--vscode-*` variable as an RGB triple; `fallback` when unset or unparsable. */
function readRgb(style: CSSStyleDeclaration, name: string, fallback: Rgb, under: Rgb): Rgb {
  const raw = style.getPropertyValue(name).trim();
  if (!raw) return fallback;
  return parseColor(normalise(raw), under) ?? fallback;
}

let probe: CanvasRenderingContext2D | null | undefined;

/** Lets the canvas turn any CSS color (names, hsl, …) into #rrggbb or rgba(). */
function normalise(color: string): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return color;
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  return String(probe.fillStyle);
}

export function readTheme(root: Element = document.body): Theme {
  const style = getComputedStyle(root);
  const dark =
    document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  const background = readRgb(style, '--vscode-editor-background', dark ? [30, 30, 30] : [255, 255, 255], [0, 0, 0]);
  const foreground = readRgb(style, '--vscode-foreground', dark ? [204, 204, 204] : [59, 59, 59], background);
  const chart = Object.fromEntries(
    CHART_COLORS.map((c) => [c, readRgb(style, `--vscode-charts-${c}`, foreground, background)]),
  ) as Record<(typeof CHART_COLORS)[number], Rgb>;
  const muted = readRgb(style, '--vscode-descriptionForeground', foreground, background);
  const mix = (a: Rgb, b: Rgb, t: number): Rgb =>
    [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as unknown as Rgb;
  const palette = CHART_COLORS.map((c) => chart[c]);
  return {
    foreground: rgbCss(foreground),
    muted: rgbCss(muted),
    grid: rgbCss(readRgb(style, '--vscode-charts-lines', mix(foreground, background, 0.8), background), 0.5),
    background,
    fontFamily: style.getPropertyValue('--vscode-font-family').trim() || 'system-ui, sans-serif',
    fontSize: parseFloat(style.getPropertyValue('--vscode-font-size')) || 13,
    fields: {
      clusters: rgbCss(chart.blue),
      effectiveClusters: rgbCss(chart.purple),
      stableRank: rgbCss(chart.green),
      active: rgbCss(chart.orange),
      largestCluster: rgbCss(chart.yellow),
      neurons: rgbCss(muted),
      inputDim: rgbCss(muted),
      relativeChange: rgbCss(muted),
      loss: rgbCss(chart.red),
    },
    // The six chart colors, then the same blended halfway towards the foreground, for twelve distinct clusters.
    clusters: [...palette, ...palette.map((c) => mix(c, foreground, 0.45))].map((c) => rgbCss(c)),
    inactive: rgbCss(muted, 0.55),
    ghost: rgbCss(foreground, 0.12),
    paper: { active: rgbCss(chart.red), trajectory: rgbCss(chart.blue) },
    cursor: rgbCss(readRgb(style, '--vscode-focusBorder', chart.blue, background)),
    diverging: { negative: chart.blue, zero: background, positive: chart.red },
  };
}

/** The theme as the figure builders' palette, so the panel and the exports pick colours the same way. */
export function themePalette(t: Theme): FigurePalette {
  return {
    background: rgbCss(t.background),
    foreground: t.foreground,
    muted: t.muted,
    grid: t.grid,
    active: t.paper.active,
    static: t.inactive,
    trajectory: t.paper.trajectory,
    ghost: t.ghost,
    clusters: t.clusters,
    series: t.fields,
    diverging: t.diverging,
  };
}

/** Calls `onChange` when VS Code switches theme (it rewrites the body class and <html> style). */
export function onThemeChange(onChange: () => void): void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}

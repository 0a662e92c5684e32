// Draws the phase diagram as SVG: the points over the (γ, γ′) plane coloured by regime, the paper's
// boundary, axes with ticks and labels, a legend, and each point's S_w on hover.
import { REGIMES, type PhaseDiagramMessage, type PhasePoint } from '../src/protocol/phase';
import { boundary, phaseExtent, scale, ticks } from './phaseGeometry';

const SVG = 'http://www.w3.org/2000/svg';
const SIZE = { width: 560, height: 440 };
const MARGIN = { left: 56, right: 20, top: 16, bottom: 48 };
const POINT_RADIUS = 7;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function html<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** What hovering a point says: where it is, its slope and regime, RD at each width. */
export function pointText(p: PhasePoint): string {
  const rd = p.widths.map((m, i) => `m = ${m}: ${p.rd[i]?.toPrecision(3)}`).join(', ');
  return `γ = ${p.gamma}, γ′ = ${p.gammaPrime} · S_w = ${p.slope.toFixed(3)} · ${p.regime} · RD ${rd}`;
}

function legend(): HTMLElement {
  const list = html('ul', 'phase-legend');
  list.setAttribute('aria-label', 'Legend');
  for (const regime of REGIMES) {
    const item = html('li', 'legend-item');
    item.append(html('span', `swatch regime-${regime}`), document.createTextNode(regime));
    list.append(item);
  }
  const line = html('li', 'legend-item');
  line.append(html('span', 'swatch boundary-swatch'), document.createTextNode('boundary (JMLR 2021)'));
  list.append(line);
  return list;
}

/** Replaces `root`'s content with the diagram of `message`. */
export function drawPhaseDiagram(root: HTMLElement, message: PhaseDiagramMessage): void {
  const { points } = message;
  const e = phaseExtent(points);
  const x = scale(e.x0, e.x1, MARGIN.left, SIZE.width - MARGIN.right);
  const y = scale(e.y0, e.y1, SIZE.height - MARGIN.bottom, MARGIN.top);
  const plot = svg('svg', {
    class: 'phase-plot',
    viewBox: `0 0 ${SIZE.width} ${SIZE.height}`,
    width: SIZE.width,
    height: SIZE.height,
    role: 'img',
    'aria-label': `Phase diagram of ${points.length} points over γ and γ′`,
  });
  const axes = svg('g', { class: 'axes' });
  const [left, right, bottom, top] = [x(e.x0), x(e.x1), y(e.y0), y(e.y1)];
  axes.append(
    svg('line', { class: 'axis', x1: left, y1: bottom, x2: right, y2: bottom }),
    svg('line', { class: 'axis', x1: left, y1: bottom, x2: left, y2: top }),
  );
  for (const t of ticks(e.x0, e.x1)) {
    axes.append(svg('line', { class: 'grid grid-x', x1: x(t), y1: bottom, x2: x(t), y2: top, 'data-value': t }));
    axes.append(svg('text', { class: 'tick tick-x', x: x(t), y: bottom + 16, 'data-value': t }, String(t)));
  }
  for (const t of ticks(e.y0, e.y1)) {
    axes.append(svg('line', { class: 'grid grid-y', x1: left, y1: y(t), x2: right, y2: y(t), 'data-value': t }));
    axes.append(svg('text', { class: 'tick tick-y', x: left - 8, y: y(t) + 4, 'data-value': t }, String(t)));
  }
  axes.append(
    svg('text', { class: 'axis-label axis-label-x', x: (left + right) / 2, y: SIZE.height - 8 }, 'γ'),
    svg(
      'text',
      {
        class: 'axis-label axis-label-y',
        x: 16,
        y: (top + bottom) / 2,
        transform: `rotate(-90 16 ${(top + bottom) / 2})`,
      },
      'γ′',
    ),
  );
  // The regions, on either side of the boundary: linear up and to the left, condensed down and to the right.
  axes.append(
    svg('text', { class: 'region', x: x((e.x0 + 1) / 2), y: y(e.y1 - 0.25) }, 'linear'),
    svg('text', { class: 'region', x: x((1 + e.x1) / 2 + 0.25), y: y(e.y0 + 0.25) }, 'condensed'),
  );
  const line = boundary(e)
    .map(([g, gp]) => `${x(g)},${y(gp)}`)
    .join(' ');
  const tip = html('div', 'phase-tooltip');
  tip.setAttribute('role', 'status');
  tip.hidden = true;
  const dots = svg('g', { class: 'points' });
  for (const p of points) {
    const dot = svg('circle', {
      class: `point regime-${p.regime}`,
      cx: x(p.gamma),
      cy: y(p.gammaPrime),
      r: POINT_RADIUS,
      tabindex: 0,
      'data-gamma': p.gamma,
      'data-gamma-prime': p.gammaPrime,
      'data-regime': p.regime,
    });
    dot.append(svg('title', {}, pointText(p)));
    const show = () => {
      tip.textContent = pointText(p);
      tip.hidden = false;
    };
    dot.addEventListener('pointerenter', show);
    dot.addEventListener('focus', show);
    dot.addEventListener('pointerleave', () => (tip.hidden = true));
    dot.addEventListener('blur', () => (tip.hidden = true));
    dots.append(dot);
  }
  plot.append(axes, svg('polyline', { class: 'boundary', points: line }), dots);
  const title = html('h1', 'phase-title', 'Phase diagram');
  const source = html('p', 'phase-source', message.source);
  const empty = points.length === 0 ? [html('p', 'phase-empty', 'phase.json holds no points.')] : [];
  root.replaceChildren(title, source, ...empty, plot, legend(), tip);
}

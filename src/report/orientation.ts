// The (θ, A) figure as data, shared by the panel's chart and the SVG export: θ window, stable cluster colours,
// trajectories across checkpoints, and the y range on a linear or log A axis.
import type { LayerDetail } from '../protocol/panel';

export type OrientationStyle = 'paper' | 'clusters';

export interface OrientationOptions {
  style: OrientationStyle;
  logA: boolean;
  normalise: boolean;
}

/** How far back trajectories reach and how many points each keeps (the host reads one checkpoint per point). */
export const TRAJECTORY = { lastCheckpoints: 64, points: 12, maxNeurons: 200 };

/** The default edge ±π stays when it lies in an empty arc at least this fraction of the largest one. */
const EDGE_GAP_FRACTION = 0.25;

const TAU = 2 * Math.PI;

/** θ is drawn over [start, start + 2π); `shifted` when start is not −π. */
export interface ThetaWindow {
  start: number;
  shifted: boolean;
}

/** Puts θ inside the window. */
export function wrapTheta(theta: number, w: ThetaWindow): number {
  if (!w.shifted) return theta;
  return w.start + ((((theta - w.start) % TAU) + TAU) % TAU);
}

/**
 * The window edge moves into the largest empty arc between the active neurons' θ (all neurons' when none is
 * active), snapped to a multiple of π/4 inside it, unless the default edge ±π already lies in a wide empty arc.
 */
export function thetaWindow(theta: readonly number[], cluster: readonly number[]): ThetaWindow {
  const keep = cluster.some((c) => c >= 0) ? theta.filter((_, k) => cluster[k] >= 0) : [...theta];
  const none: ThetaWindow = { start: -Math.PI, shifted: false };
  if (keep.length < 2) return none;
  const sorted = keep.map((t) => wrapTheta(t, { start: -Math.PI, shifted: true })).sort((a, b) => a - b);
  let best = { from: sorted[sorted.length - 1], width: sorted[0] + TAU - sorted[sorted.length - 1] };
  const edgeGap = best.width;
  for (let i = 1; i < sorted.length; i++) {
    const width = sorted[i] - sorted[i - 1];
    if (width > best.width) best = { from: sorted[i - 1], width };
  }
  if (edgeGap >= EDGE_GAP_FRACTION * best.width) return none;
  const middle = best.from + best.width / 2;
  const snapped = Math.round(middle / (Math.PI / 4)) * (Math.PI / 4);
  const start = snapped > best.from && snapped < best.from + best.width ? snapped : middle;
  return { start: wrapTheta(start, { start: -Math.PI, shifted: true }), shifted: true };
}

/** Each cluster's leader: its member of largest A, ties to the lower index (the cover's own order). */
export function clusterLeaders(cluster: readonly number[], amplitude: readonly number[]): number[] {
  const leaders: number[] = [];
  cluster.forEach((c, k) => {
    if (c < 0) return;
    const l = leaders[c];
    if (l === undefined || amplitude[k] > amplitude[l] || (amplitude[k] === amplitude[l] && k < l)) leaders[c] = k;
  });
  return leaders;
}

/**
 * A palette slot per cluster, chosen from its leader's index, so a cluster keeps its colour for as long as its
 * leader leads it; heavier clusters choose first and a taken slot passes to the next free one.
 */
export function clusterSlots(leaders: readonly number[], paletteSize: number): number[] {
  const taken = new Set<number>();
  return leaders.map((leader) => {
    let slot = leader % paletteSize;
    for (let i = 0; i < paletteSize && taken.has(slot); i++) slot = (slot + 1) % paletteSize;
    if (taken.size >= paletteSize) taken.clear();
    taken.add(slot);
    return slot;
  });
}

/** The checkpoints trajectories pass through: among the last K up to `step`, at most `points`, evenly spaced, `step` last. */
export function trajectorySteps(steps: readonly number[], step: number): number[] {
  const upTo = steps.filter((s) => s <= step).slice(-TRAJECTORY.lastCheckpoints);
  if (upTo.length <= TRAJECTORY.points) return upTo;
  const last = upTo.length - 1;
  const picked = new Set<number>();
  for (let i = 0; i < TRAJECTORY.points; i++) picked.add(Math.round((i * last) / (TRAJECTORY.points - 1)));
  return [...picked].map((i) => upTo[i]);
}

/** θ and A of a layer at one checkpoint: all a trajectory needs of it. */
export interface OrientationFrame {
  step: number;
  theta: readonly number[];
  amplitude: readonly number[];
}

export type PointKind = 'ghost' | 'static' | 'active';

export interface OrientationPoint {
  x: number;
  y: number;
  neuron: number;
  kind: PointKind;
  /** Palette slot of the point's cluster (active points only). */
  slot?: number;
}

export interface OrientationModel {
  window: ThetaWindow;
  /** Ghosts, then static, then active points (later ones drawn on top). */
  points: OrientationPoint[];
  /** One polyline list per neuron, split where θ wraps across the window edge (the parts run past it: clip them). */
  trajectories: { neuron: number; slot?: number; segments: [number, number][][] }[];
  y: { min: number; max: number; log: boolean };
  yTitle: string;
  xTitle: string;
  /** Under the chart when θ is a projection (input dimension above 2). */
  note?: string;
}

function amplitudeScale(a: readonly number[], normalise: boolean): number {
  const max = a.reduce((m, v) => Math.max(m, v), 0);
  return normalise && max > 0 ? 1 / max : 1;
}

/** The neurons whose trajectories are drawn: the ones picked, else the active ones by A (at most TRAJECTORY.maxNeurons). */
export function trajectoryNeurons(detail: LayerDetail, picked: readonly number[]): number[] {
  if (picked.length > 0) return [...picked];
  return detail.cluster
    .map((_, k) => k)
    .filter((k) => detail.cluster[k] >= 0)
    .sort((i, j) => detail.amplitude[j] - detail.amplitude[i] || i - j)
    .slice(0, TRAJECTORY.maxNeurons);
}

export function orientationModel(
  detail: LayerDetail,
  options: OrientationOptions,
  inputDim: number | undefined,
  paletteSize: number,
  frames: readonly OrientationFrame[] = [],
  trajectoryOf: readonly number[] = [],
): OrientationModel {
  const window = thetaWindow(detail.theta, detail.cluster);
  const slots = clusterSlots(clusterLeaders(detail.cluster, detail.amplitude), paletteSize);
  const points: OrientationPoint[] = [];
  if (detail.ghost) {
    const g = amplitudeScale(detail.ghost.amplitude, options.normalise);
    detail.ghost.theta.forEach((t, k) =>
      points.push({ x: wrapTheta(t, window), y: detail.ghost!.amplitude[k] * g, neuron: k, kind: 'ghost' }),
    );
  }
  const s = amplitudeScale(detail.amplitude, options.normalise);
  const current = detail.theta.map((t, k): OrientationPoint => ({
    x: wrapTheta(t, window),
    y: detail.amplitude[k] * s,
    neuron: k,
    kind: detail.cluster[k] < 0 ? 'static' : 'active',
    ...(detail.cluster[k] < 0 ? {} : { slot: slots[detail.cluster[k]] }),
  }));
  points.push(...current.filter((p) => p.kind === 'static'), ...current.filter((p) => p.kind === 'active'));
  const trajectories = trajectoryOf.map((neuron) => {
    const segments: [number, number][][] = [];
    let last: [number, number] | undefined;
    for (const f of frames) {
      if (f.theta.length !== detail.theta.length) continue;
      const p: [number, number] = [
        wrapTheta(f.theta[neuron], window),
        f.amplitude[neuron] * amplitudeScale(f.amplitude, options.normalise),
      ];
      if (!last) segments.push([p]);
      else if (Math.abs(p[0] - last[0]) <= Math.PI) segments[segments.length - 1].push(p);
      else {
        // Across the window edge: run off one side and come back in from the other (the plot clips both).
        const shift = p[0] > last[0] ? -TAU : TAU;
        segments[segments.length - 1].push([p[0] + shift, p[1]]);
        segments.push([[last[0] - shift, last[1]], p]);
      }
      last = p;
    }
    const c = detail.cluster[neuron];
    return { neuron, segments, ...(c >= 0 ? { slot: slots[c] } : {}) };
  });
  const ys = [...points.map((p) => p.y), ...trajectories.flatMap((t) => t.segments.flat().map((q) => q[1]))];
  const max = ys.reduce((m, v) => Math.max(m, v), 0);
  const y = options.logA ? logRange(ys) : { min: 0, max: max * 1.05 || 1, log: false };
  const aName = options.normalise ? 'A / max A' : 'A (amplitude)';
  return {
    window,
    points,
    trajectories,
    y,
    yTitle: options.logA ? `${aName}, log scale` : aName,
    xTitle: window.shifted ? 'θ (orientation), window shifted to keep clusters whole' : 'θ (orientation)',
    ...(inputDim !== undefined && inputDim > 2
      ? { note: `θ is measured in the plane of the top two singular directions (input dimension ${inputDim}).` }
      : {}),
  };
}

/** A log range over the positive values; zero amplitudes sit on its floor. */
function logRange(values: readonly number[]): { min: number; max: number; log: true } {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return { min: 1e-3, max: 1, log: true };
  const lo = positive.reduce((m, v) => Math.min(m, v), Infinity);
  const hi = positive.reduce((m, v) => Math.max(m, v), 0);
  return { min: lo / 1.5, max: hi === lo ? hi * 10 : hi * 1.5, log: true };
}

/** A plotted value on a log axis: zero and below go to its floor. */
export function onAxis(v: number, y: OrientationModel['y']): number {
  return y.log ? Math.max(v, y.min) : v;
}

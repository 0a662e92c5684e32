// The Phase Diagram's plane without a DOM: the (γ, γ′) extent around the points, its ticks, and the paper's
// boundary (JMLR 2021): γ = 1 for γ′ ≤ 0, and γ′ = γ − 1 for γ′ > 0.
import type { PhasePoint } from '../src/protocol/phase';

export interface Extent {
  /** γ from x0 to x1, γ′ from y0 to y1. */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Ticks and the extent's ends fall on multiples of this. */
export const TICK_STEP = 0.5;

const down = (v: number) => Math.floor(v / TICK_STEP) * TICK_STEP;
const up = (v: number) => Math.ceil(v / TICK_STEP) * TICK_STEP;

/** Always the paper's window (γ in [0, 2], γ′ in [−1, 1]), widened to hold every point with a margin. */
export function phaseExtent(points: readonly PhasePoint[]): Extent {
  const margin = TICK_STEP / 2;
  const gs = points.map((p) => p.gamma);
  const gps = points.map((p) => p.gammaPrime);
  return {
    x0: down(Math.min(0, ...gs.map((g) => g - margin))),
    x1: up(Math.max(2, ...gs.map((g) => g + margin))),
    y0: down(Math.min(-1, ...gps.map((g) => g - margin))),
    y1: up(Math.max(1, ...gps.map((g) => g + margin))),
  };
}

/** The tick values from `from` to `to`, every TICK_STEP. */
export function ticks(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = 0; from + i * TICK_STEP <= to + 1e-9; i++) out.push(Number((from + i * TICK_STEP).toFixed(6)));
  return out;
}

/** The boundary as (γ, γ′) corners: up the line γ = 1 to γ′ = 0, then along γ′ = γ − 1 to the extent's edge. */
export function boundary(e: Extent): [number, number][] {
  const end = Math.min(e.x1, e.y1 + 1);
  return [
    [1, e.y0],
    [1, 0],
    [end, end - 1],
  ];
}

/** A linear map from data to pixels. */
export function scale(d0: number, d1: number, p0: number, p1: number): (v: number) => number {
  return (v) => p0 + ((v - d0) / (d1 - d0)) * (p1 - p0);
}

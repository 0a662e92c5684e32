// phase.json, written by `condensation-lens phase` into its folder (the same JSON as `--json`), and the
// messages of the Phase Diagram view (docs/sweeps.md).

export type Regime = 'linear' | 'critical' | 'condensed';
export const REGIMES: readonly Regime[] = ['linear', 'critical', 'condensed'];

/** One (γ, γ′) of the diagram: RD(θ_w) at each width, its slope S_w against log m, and the regime. */
export interface PhasePoint {
  gamma: number;
  gammaPrime: number;
  widths: number[];
  rd: number[];
  slope: number;
  regime: Regime;
}

export const PHASE_FILE = 'phase.json';

function isNumbers(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}

/** The points of a phase.json text; throws an error naming `path` and what is wrong. */
export function parsePhaseFile(text: string, path: string): PhasePoint[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message}); write it again with \`condensation-lens phase\``, {
      cause: e,
    });
  }
  const points = (value as { points?: unknown } | null)?.points;
  if (!Array.isArray(points)) throw new Error(`${path}: no "points" list; it is not a phase.json`);
  points.forEach((p: Partial<PhasePoint> | null, i) => {
    const ok =
      typeof p?.gamma === 'number' &&
      typeof p.gammaPrime === 'number' &&
      typeof p.slope === 'number' &&
      isNumbers(p.widths) &&
      isNumbers(p.rd) &&
      REGIMES.includes(p.regime as Regime);
    if (!ok)
      throw new Error(
        `${path}: point ${i + 1} needs numbers gamma, gammaPrime, slope, lists widths and rd, and a regime`,
      );
  });
  return points as PhasePoint[];
}

/** Host → Phase Diagram view: the points to draw, and where they come from. */
export interface PhaseDiagramMessage {
  type: 'phase';
  /** The phase folder, shown as the title. */
  source: string;
  points: PhasePoint[];
}

/** Phase Diagram view → host: it is ready for the points. */
export interface PhaseReadyMessage {
  type: 'ready';
}

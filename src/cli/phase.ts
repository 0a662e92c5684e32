// `condensation-lens phase <preset> --phase-gamma 0.5,1,1.75 --widths 1000,2000,4000,8000`: the JMLR 2021 phase
// diagram from this machine's own runs: RD(θ_w) per width, its slope S_w against log m, and the regime.
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../core/formats/safetensorsWriter';
import { timestamp } from '../protocol/fileNames';
import { PHASE_FILE, type PhasePoint } from '../protocol/phase';
import { RUNS_FOLDER } from '../trainer/options';
import {
  DEFAULT_EPSILON,
  classifyRegime,
  inputWeightDistance,
  paperRegime,
  widthSlope,
} from '../trainer/phase/phaseDiagram';
import { gridFlagOptions } from '../trainer/sweep/grid';
import { sweepManifest, writeSweepManifest } from '../trainer/sweep/sweepFolder';
import { parseCommandLine, UsageError, type Command } from './command';
import { gridFlagValues, gridOrUsageError, parallelOption, progressOption, runGridHere } from './sweepRun';
import { formatTable } from './table';

/** With --tolerance the loss is checked at every checkpoint, so checkpoints come this often. */
const TOLERANCE_CHECK_EVERY = 100;

const HELP = `usage: condensation-lens phase <preset> --phase-gamma G,… [--phase-gamma-prime G2,…] --widths M,…
       [--steps N] [--tolerance L] [--epsilon E] [--json] [--parallel N] [--progress P] [--out DIR] [train flags]

The phase diagram of two-layer nets (Luo, Xu, Ma, Zhang, JMLR 2021). The net is f(x) = (1/α)·Σ a_k·σ(w_k·x)
with a ~ N(0, β1²) and w ~ N(0, β2²) (w with the bias), γ = -log(β1·β2/α)/log m and γ′ = -log(β1/β2)/log m.
With α = 1 and equal scales, γ is twice the preset's --gamma and γ′ = 0.

Every (γ, γ′) is trained at every width m; RD(θ_w) = ‖θ_w(end) − θ_w(0)‖ / ‖θ_w(0)‖ is measured on the hidden
layer, S_w is the least-squares slope of log RD against log m, and the point is linear (S_w < -ε), critical
(|S_w| ≤ ε) or condensed (S_w > ε). The paper's boundary, shown beside: γ = 1 for γ′ ≤ 0, γ′ = γ - 1 for γ′ > 0.

  --phase-gamma G,…        the γ values
  --phase-gamma-prime G2,… the γ′ values (default 0)
  --widths M,…             the widths m (at least two)
  --steps N                training steps per run (default: the preset's)
  --tolerance L            stop each run at the first checkpoint with loss ≤ L (checked every ${TOLERANCE_CHECK_EVERY} steps)
  --epsilon E              the band of the critical regime (default ${DEFAULT_EPSILON})
  --json                   print {"points": [{"gamma", "gammaPrime", "widths", "rd", "slope", "regime"}]}
  --parallel N             runs at once (default: the number of cores)
  --progress P             bar (default): one bar on stderr; json: JSON lines on stdout
  --out DIR                the sweep folder (default ${RUNS_FOLDER}/phase-<preset>-<timestamp>);
                           the points are also written there as ${PHASE_FILE}, the same JSON as --json
Other flags of train (--lr, --seed, --alpha, --activation, …) apply to every run.`;

const OPTIONS = {
  ...gridFlagOptions(),
  widths: { type: 'string' },
  epsilon: { type: 'string' },
  json: { type: 'boolean' },
  parallel: { type: 'string' },
  progress: { type: 'string' },
  out: { type: 'string' },
} as const;

/** Writes the points into the phase folder as phase.json (what --json prints); returns its path. */
export function writePhaseFile(dir: string, points: readonly PhasePoint[]): string {
  const path = join(dir, PHASE_FILE);
  writeFileAtomic(path, JSON.stringify({ points }) + '\n');
  return path;
}

function epsilonOption(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_EPSILON;
  const e = Number(raw);
  if (!(e >= 0 && Number.isFinite(e))) throw new UsageError(`--epsilon expects a number ≥ 0, got '${raw}'`);
  return e;
}

function table(points: readonly PhasePoint[]): string {
  const rows = points.map((p) => [
    String(p.gamma),
    String(p.gammaPrime),
    p.rd.map((r) => r.toPrecision(3)).join(' '),
    p.slope.toFixed(3),
    p.regime,
    paperRegime(p.gamma, p.gammaPrime),
  ]);
  return formatTable(['γ', 'γ′', `RD at m = ${points[0]?.widths.join(', ')}`, 'S_w', 'regime', 'paper'], rows);
}

export const phaseCommand: Command = {
  name: 'phase',
  summary: 'the JMLR 2021 phase diagram: train (γ, γ′) over widths, fit S_w, classify the regimes',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    const v = values as Record<string, string | undefined> & { json?: boolean };
    if (positionals.length !== 1) throw new UsageError(`expected one preset name, got ${positionals.length}`);
    if (!v['phase-gamma']) throw new UsageError('--phase-gamma is required (for example --phase-gamma 0.5,1,1.75)');
    if (!v.widths || v.widths.split(',').length < 2)
      throw new UsageError('--widths needs at least two widths (for example --widths 1000,2000,4000,8000)');
    if (v.width) throw new UsageError('use --widths, not --width');
    const preset = positionals[0];
    const epsilon = epsilonOption(v.epsilon);
    const progress = progressOption(v.progress);
    const dir = resolve(v.out ?? join(RUNS_FOLDER, `phase-${preset}-${timestamp(new Date())}`));
    const flags = gridFlagValues(v);
    flags.width = v.widths;
    flags['phase-gamma-prime'] ??= '0';
    // Only the first and the last checkpoint count, unless the tolerance is checked on the way.
    flags.every ??= v.tolerance ? String(TOLERANCE_CHECK_EVERY) : (v.steps ?? '1000000000');
    const grid = gridOrUsageError(preset, flags, undefined, dir);
    writeSweepManifest(dir, sweepManifest(grid, 'local'));
    process.stderr.write(`phase: ${grid.points.length} runs of ${preset} into ${dir}\n`);
    const outcomes = await runGridHere(grid, dir, parallelOption(v.parallel), progress);
    const failed = outcomes.filter((o) => o.error);
    for (const o of failed) process.stderr.write(`${o.name}: ${o.error}\n`);
    if (failed.length) return 1;

    const groups = new Map<string, { gamma: number; gammaPrime: number; runs: { width: number; dir: string }[] }>();
    for (const p of grid.points) {
      const { phaseGamma, phaseGammaPrime, width } = p.options.config;
      const key = `${phaseGamma}|${phaseGammaPrime}`;
      const group = groups.get(key) ?? { gamma: phaseGamma!, gammaPrime: phaseGammaPrime ?? 0, runs: [] };
      group.runs.push({ width, dir: p.options.out });
      groups.set(key, group);
    }
    const points: PhasePoint[] = [];
    for (const g of groups.values()) {
      const runs = g.runs.sort((a, b) => a.width - b.width);
      const rd = await Promise.all(runs.map((r) => inputWeightDistance(r.dir)));
      const widths = runs.map((r) => r.width);
      const slope = widthSlope(widths, rd);
      points.push({
        gamma: g.gamma,
        gammaPrime: g.gammaPrime,
        widths,
        rd,
        slope,
        regime: classifyRegime(slope, epsilon),
      });
    }
    writePhaseFile(dir, points);
    process.stdout.write(v.json ? JSON.stringify({ points }) + '\n' : table(points) + '\n');
    return 0;
  },
};

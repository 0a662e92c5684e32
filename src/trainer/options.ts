// The flags of `condensation-lens train` and `node dist/trainer.js`: one parser for both.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { BACKEND_CHOICES, type BackendChoice } from '../core/backend';
import { timestamp } from '../protocol/fileNames';
import { PRESETS, findPreset, type Activation, type OptimizerName, type TrainConfig } from './presets';
import { PROGRESS_MODES, type ProgressMode } from './progress';

/** A TF.js backend, or `fused`: the two-layer presets' own kernel over typed arrays (no TF.js). */
export type TrainerBackend = BackendChoice | 'fused';
export const TRAINER_BACKENDS: readonly TrainerBackend[] = [...BACKEND_CHOICES, 'fused'];

export interface TrainOptions {
  preset: string;
  config: TrainConfig;
  /** Run folder (default `runs/<preset>-<timestamp>`). */
  out: string;
  backend: TrainerBackend;
  progress: ProgressMode;
}

/** A mistake in the flags: the CLI reports it as a usage error (exit status 2). */
export class TrainOptionsError extends Error {}

const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh'];
const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'adam'];
/** Folder that holds the default run folders, relative to the working directory. */
export const RUNS_FOLDER = 'runs';

export const TRAIN_FLAGS = {
  width: { type: 'string' },
  gamma: { type: 'string' },
  lr: { type: 'string' },
  steps: { type: 'string' },
  every: { type: 'string' },
  dropout: { type: 'string' },
  activation: { type: 'string' },
  optimizer: { type: 'string' },
  seed: { type: 'string' },
  'phase-gamma': { type: 'string' },
  'phase-gamma-prime': { type: 'string' },
  alpha: { type: 'string' },
  tolerance: { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
  progress: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const TRAIN_USAGE = `usage: condensation-lens train <preset> [flags]

Trains a preset (see \`condensation-lens presets\`) with TensorFlow.js and writes a run folder:
run.json, metrics.jsonl and checkpoints/step-NNNNNN.safetensors. Every flag overrides the preset.

  --width N          hidden neurons m
  --gamma G          init scale: every weight and bias ~ N(0, (m^-G)^2)
  --lr X             learning rate
  --steps N          training steps (full batch)
  --every N          a checkpoint and a metrics line every N steps
  --dropout P        dropout probability after the hidden layer, 0 <= P < 1
  --activation A     relu | tanh
  --optimizer O      sgd | adam
  --seed N           integer seed of the init, the data and the dropout masks
  --phase-gamma G    the JMLR 2021 phase diagram's γ: f = (1/α)·Σ a_k·σ(w_k·x), a ~ N(0, β1²), w ~ N(0, β2²),
                     γ = -log(β1·β2/α)/log m; replaces --gamma for the init. With α = 1 and equal scales the
                     phase γ is twice --gamma, and γ′ = 0
  --phase-gamma-prime G2   γ′ = -log(β1/β2)/log m (default 0; only with --phase-gamma)
  --alpha A          the output factor 1/α (default 1)
  --tolerance L      stop at the first checkpoint step whose loss is at most L (--steps stays the limit)
  --out DIR          run folder (default ${RUNS_FOLDER}/<preset>-<timestamp>)
  --backend B        ${TRAINER_BACKENDS.join(' | ')} (default auto; fused: the two-layer kernel without TF.js,
                     the fastest on a CPU)
  --progress P       text (a bar on stderr, default) | json (progress lines on stdout)

presets: ${PRESETS.map((p) => p.name).join(', ')}`;

function numberFlag(
  raw: string | undefined,
  flag: string,
  valid: (n: number) => boolean,
  what: string,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !valid(n)) throw new TrainOptionsError(`--${flag} expects ${what}, got '${raw}'`);
  return n;
}

function choiceFlag<T extends string>(raw: string | undefined, flag: string, choices: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw))
    throw new TrainOptionsError(`--${flag} expects one of ${choices.join(', ')}, got '${raw}'`);
  return raw as T;
}

const isCount = (min: number) => (n: number) => Number.isInteger(n) && n >= min;

/** Parses the arguments after `train`; returns 'help' for --help. Throws TrainOptionsError. */
export function parseTrainArgs(argv: string[], now = new Date()): TrainOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: TRAIN_FLAGS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new TrainOptionsError((e as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return 'help';
  if (positionals.length !== 1)
    throw new TrainOptionsError(
      `expected one preset name (${PRESETS.map((p) => p.name).join(', ')}), got ${positionals.length}`,
    );
  const preset = findPreset(positionals[0]);
  if (!preset)
    throw new TrainOptionsError(
      `unknown preset '${positionals[0]}'; the presets are ${PRESETS.map((p) => p.name).join(', ')}`,
    );
  const overrides: Partial<TrainConfig> = {
    width: numberFlag(v.width, 'width', isCount(1), 'a whole number ≥ 1'),
    gamma: numberFlag(v.gamma, 'gamma', Number.isFinite, 'a number'),
    lr: numberFlag(v.lr, 'lr', (n) => n > 0 && Number.isFinite(n), 'a positive number'),
    steps: numberFlag(v.steps, 'steps', isCount(0), 'a whole number ≥ 0'),
    every: numberFlag(v.every, 'every', isCount(1), 'a whole number ≥ 1'),
    dropout: numberFlag(v.dropout, 'dropout', (n) => n >= 0 && n < 1, 'a probability in [0, 1)'),
    seed: numberFlag(v.seed, 'seed', (n) => isCount(0)(n) && n < 2 ** 32, 'a whole number in [0, 2^32)'),
    activation: choiceFlag(v.activation, 'activation', ACTIVATIONS),
    optimizer: choiceFlag(v.optimizer, 'optimizer', OPTIMIZERS),
    phaseGamma: numberFlag(v['phase-gamma'], 'phase-gamma', Number.isFinite, 'a number'),
    phaseGammaPrime: numberFlag(v['phase-gamma-prime'], 'phase-gamma-prime', Number.isFinite, 'a number'),
    alpha: numberFlag(v.alpha, 'alpha', (n) => n > 0 && Number.isFinite(n), 'a positive number'),
    tolerance: numberFlag(v.tolerance, 'tolerance', (n) => n > 0 && Number.isFinite(n), 'a positive number'),
  };
  if (overrides.phaseGammaPrime !== undefined && overrides.phaseGamma === undefined)
    throw new TrainOptionsError('--phase-gamma-prime needs --phase-gamma');
  const config = { ...preset.config };
  for (const [key, value] of Object.entries(overrides))
    if (value !== undefined) Object.assign(config, { [key]: value });
  return {
    preset: preset.name,
    config,
    out: v.out ?? join(RUNS_FOLDER, `${preset.name}-${timestamp(now)}`),
    backend: choiceFlag(v.backend, 'backend', TRAINER_BACKENDS) ?? 'auto',
    progress: choiceFlag(v.progress, 'progress', PROGRESS_MODES) ?? 'text',
  };
}

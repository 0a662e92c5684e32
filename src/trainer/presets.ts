// The condensation experiments of the literature, as data. Every field is a default that a flag
// of `condensation-lens train` overrides (see options.ts).

export type Activation = 'relu' | 'tanh';
export type OptimizerName = 'sgd' | 'adam';
/** Training sets, defined in data.ts. */
export type DatasetName = 'relu-1d' | 'sin-5d' | 'relu-2d';
/** `half-mse` = ½·mean((f − y)²) (the JMLR phase-diagram setup); `mse` = mean((f − y)²). */
export type LossName = 'half-mse' | 'mse';

/** Everything that determines a run of a two-layer net f(x) = Σ_k a_k·σ(w_k·x + b_k). */
export interface TrainConfig {
  /** Hidden neurons m. */
  width: number;
  /** Every weight and bias is drawn from N(0, (m^−γ)²): γ > 1/2 is the condensed regime. */
  gamma: number;
  lr: number;
  steps: number;
  /** A checkpoint (and a metrics line) every this many steps, plus one at step 0 and at the end. */
  every: number;
  /** Dropout probability after the hidden layer (0 = none). */
  dropout: number;
  activation: Activation;
  optimizer: OptimizerName;
  seed: number;
  dataset: DatasetName;
  loss: LossName;
  /** The phase diagram's γ (JMLR 2021): when set, it and `phaseGammaPrime` give the init scales instead of `gamma`. */
  phaseGamma?: number;
  /** The phase diagram's γ′ (default 0). */
  phaseGammaPrime?: number;
  /** The output factor 1/α of f = (1/α)·Σ a_k·σ(w_k·x) (default 1). */
  alpha?: number;
  /** Stop as soon as the loss is at most this (the run still ends at `steps` at the latest). */
  tolerance?: number;
}

export interface Preset {
  readonly name: string;
  /** One line for `condensation-lens presets`. */
  readonly summary: string;
  /** What the run shows and where it comes from. */
  readonly description: string;
  readonly config: Readonly<TrainConfig>;
}

/** The JMLR 2021 reference setup (docs/metrics.md "Reference values"). */
const RELU_1D: TrainConfig = {
  width: 1000,
  gamma: 1,
  lr: 0.05,
  steps: 10_000,
  every: 100,
  dropout: 0,
  activation: 'relu',
  optimizer: 'sgd',
  seed: 0,
  dataset: 'relu-1d',
  loss: 'half-mse',
};

export const PRESETS: readonly Preset[] = [
  {
    name: 'relu-1d',
    summary: 'two-layer ReLU, width 1000, 4 points in 1-D, γ = 1: condenses to 2 directions (JMLR 2021 phase diagram)',
    description:
      'f(x) = Σ a_k·ReLU(w_k·x + b_k), m = 1000, on x = linspace(−1, 1, 4), y = 0.2·ReLU(x − 1/3) + 0.2·ReLU(−x − 1/3); ' +
      'weights and biases from N(0, (m^−γ)²) with γ = 1; full-batch gradient descent, lr 0.05, on ½·mean((f − y)²), ' +
      '10 000 steps, a checkpoint every 100. With γ ≤ 1/2 (try --gamma 0.25) the neurons stay spread (linear regime).',
    config: RELU_1D,
  },
  {
    name: 'tanh-1d',
    summary: 'the relu-1d setup with tanh and lr 0.1',
    description:
      'As relu-1d with σ = tanh and lr 0.1: tanh nets condense too, with u and −u carrying the same feature.',
    config: { ...RELU_1D, activation: 'tanh', lr: 0.1 },
  },
  {
    name: 'dropout-tanh-1d',
    summary: 'tanh, width 1000, γ = 0.5, dropout 0.1 after the hidden layer, Adam: dropout brings condensation',
    description:
      'The relu-1d data with σ = tanh, initialised at γ = 0.5 (not the condensed regime), dropout p = 0.1 (--dropout) on the ' +
      'hidden layer, full-batch Adam lr 1e-3 (plain gradient descent sits on the linear-fit plateau for longer than 10 000 ' +
      'steps here), 10 000 steps. With dropout the neurons end in 2 clusters; with --dropout 0 they stay in about 6 ' +
      '(Zhang & Xu, TPAMI 2024: dropout facilitates condensation).',
    config: { ...RELU_1D, activation: 'tanh', gamma: 0.5, dropout: 0.1, optimizer: 'adam', lr: 1e-3 },
  },
  {
    name: 'tanh-5d',
    summary:
      'tanh, width 50, 80 points in 5-D, γ = 4, Adam: initial condensation to 2 clusters, then growth (300 steps)',
    description:
      'Target Σ_{k=1..5} 3.5·sin(5·x_k + 1) on 80 seeded points x ~ U[−4, 2]^5; m = 50, tanh, γ = 4; full-batch Adam ' +
      '(lr 1e-3, β = (0.9, 0.999), ε = 1e-8 as in PyTorch) on mean((f − y)²), 300 steps, a checkpoint every 5. ' +
      'A PyTorch run of this setup: clusters fall from about 43 to 2 within 10–20 steps, stay at 2 to about step 100, ' +
      'then grow to about 5 at step 200 and 8 at step 300.',
    config: {
      ...RELU_1D,
      width: 50,
      gamma: 4,
      activation: 'tanh',
      optimizer: 'adam',
      lr: 1e-3,
      steps: 300,
      every: 5,
      dataset: 'sin-5d',
      loss: 'mse',
    },
  },
  {
    name: 'relu-2d',
    summary: 'two-layer ReLU, width 1000, 9 points of a 2-D target, γ = 1: condensation with 2-D inputs',
    description:
      'As relu-1d with 2-D input: x on the grid {−1, 0, 1}², y = 0.2·ReLU(x₁ − 1/3) + 0.2·ReLU(−x₂ − 1/3). ' +
      'Each neuron has 3 input weights (two plus the bias); its orientation is shown on the top two principal directions.',
    config: { ...RELU_1D, dataset: 'relu-2d' },
  },
  {
    name: 'phase-relu-1d',
    summary: 'the JMLR 2021 phase-diagram net: relu-1d data, f = (1/α)·Σ a_k·σ(w_k·x), init set by (γ, γ′)',
    description:
      "The relu-1d data and ReLU net, initialised by the phase diagram's exponents: a ~ N(0, β₁²), w ~ N(0, β₂²) with " +
      'γ = −log(β₁β₂/α)/log m and γ′ = −log(β₁/β₂)/log m (here γ = 1, γ′ = 0: the critical line); full-batch gradient ' +
      'descent, lr 0.01 (stable at every width up to 8000 in the linear regime), 5000 steps. Made for ' +
      '`condensation-lens phase`, which sweeps --phase-gamma and --phase-gamma-prime over widths.',
    config: { ...RELU_1D, lr: 0.01, steps: 5000, every: 5000, phaseGamma: 1, phaseGammaPrime: 0 },
  },
];

/** The preset of that name, or undefined. */
export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}

/** The presets as `[{name, summary}]` JSON: what `presets --json` and `trainer.js --list-presets` print. */
export function presetListJson(): string {
  return JSON.stringify(PRESETS.map((p) => ({ name: p.name, summary: p.summary })));
}

// The Start Sweep… form without vscode: each field's rule, its check with a message that says what to type,
// and the `sweep` command line the filled form makes (docs/sweeps.md).

/** A field of the form: a comma-separated list (or one number), and what each value must be. */
export interface FieldRule {
  /** Whole numbers only. */
  integer: boolean;
  /** The least value (none: any number). */
  min?: number;
  /** Values must stay below this. */
  below?: number;
  /** Only one value, not a list. */
  single?: boolean;
  /** At least this many values (phase widths: a slope needs two). */
  minCount?: number;
}

export const SWEEP_FIELDS = {
  gamma: { integer: false, min: 0 },
  width: { integer: true, min: 1 },
  dropout: { integer: false, min: 0, below: 1 },
  steps: { integer: true, min: 1, single: true },
  seeds: { integer: true, min: 1, single: true },
  parallel: { integer: true, min: 1, single: true },
  phaseGamma: { integer: false, minCount: 1 },
  phaseGammaPrime: { integer: false },
  widths: { integer: true, min: 1, minCount: 2 },
} satisfies Record<string, FieldRule>;

/** The values of a field's text, or the message that says what is wrong; an empty text is no values. */
export function checkField(text: string, rule: FieldRule): { values: number[] } | { error: string } {
  const items = text.trim() === '' ? [] : text.split(',').map((t) => t.trim());
  if (rule.single && items.length > 1) return { error: 'one number, not a list' };
  const bounds = [rule.min !== undefined && `≥ ${rule.min}`, rule.below !== undefined && `< ${rule.below}`];
  const what = [rule.integer ? 'whole numbers' : 'numbers', bounds.filter(Boolean).join(' and ')].join(' ').trim();
  const values: number[] = [];
  for (const item of items) {
    const n = Number(item);
    const ok =
      item !== '' &&
      Number.isFinite(n) &&
      (!rule.integer || Number.isInteger(n)) &&
      (rule.min === undefined || n >= rule.min) &&
      (rule.below === undefined || n < rule.below);
    if (!ok)
      return {
        error:
          item === ''
            ? `an empty item: separate values with single commas (${what})`
            : `'${item}' is not one of: ${what}`,
      };
    values.push(n);
  }
  if (items.length < (rule.minCount ?? 0)) return { error: `at least ${rule.minCount} values, separated by commas` };
  return { values };
}

/** A filled form: the lists to sweep (empty: the preset's value), and how to run it. */
export interface SweepForm {
  preset: string;
  gamma: number[];
  width: number[];
  dropout: number[];
  /** Steps of every run (undefined: the preset's). */
  steps?: number;
  /** A checkpoint every N steps (undefined: the preset's). */
  every?: number;
  seeds: number;
  parallel: number;
  /** The trainer backend; `auto` lets the sweep choose (the fused kernel). */
  backend: string;
}

/** How many runs the form makes. */
export function sweepSize(form: SweepForm): number {
  const n = (values: readonly unknown[]) => Math.max(1, new Set(values).size);
  return n(form.gamma) * n(form.width) * n(form.dropout) * form.seeds;
}

/** What every driver the editor starts is told: how many runs at once, where, and to report in JSON lines. */
function driverFlags(parallel: number, out: string): string[] {
  return ['--parallel', String(parallel), '--out', out, '--progress', 'json'];
}

/** The arguments after the CLI's script: `sweep <preset> --gamma … --out DIR --progress json`. */
export function sweepCommandArgs(form: SweepForm, out: string): string[] {
  const list = (flag: string, values: readonly number[]) => (values.length ? [`--${flag}`, values.join(',')] : []);
  const one = (flag: string, value: number | undefined) => (value === undefined ? [] : [`--${flag}`, String(value)]);
  return [
    'sweep',
    form.preset,
    ...list('gamma', form.gamma),
    ...list('width', form.width),
    ...list('dropout', form.dropout),
    ...one('steps', form.steps),
    ...one('every', form.every),
    // One seed keeps the preset's own seed.
    ...(form.seeds > 1 ? ['--seeds', String(form.seeds)] : []),
    ...(form.backend === 'auto' ? [] : ['--backend', form.backend]),
    ...driverFlags(form.parallel, out),
  ];
}

/** Start Phase Diagram…'s defaults: the paper's three γ at γ′ = 0, on widths that take seconds (docs/sweeps.md). */
export const PHASE_DEFAULTS = {
  preset: 'phase-relu-1d',
  phaseGamma: '0.5,1,1.75',
  phaseGammaPrime: '0',
  widths: '250,500,1000,2000',
};

export interface PhaseForm {
  preset: string;
  phaseGamma: number[];
  /** Empty: γ′ = 0. */
  phaseGammaPrime: number[];
  widths: number[];
  /** Steps of every run (undefined: the preset's). */
  steps?: number;
  parallel: number;
}

/** The arguments after the CLI's script: `phase <preset> --phase-gamma … --out DIR --progress json`. */
export function phaseCommandArgs(form: PhaseForm, out: string): string[] {
  return [
    'phase',
    form.preset,
    '--phase-gamma',
    form.phaseGamma.join(','),
    '--phase-gamma-prime',
    (form.phaseGammaPrime.length ? form.phaseGammaPrime : [0]).join(','),
    '--widths',
    form.widths.join(','),
    ...(form.steps === undefined ? [] : ['--steps', String(form.steps)]),
    ...driverFlags(form.parallel, out),
  ];
}

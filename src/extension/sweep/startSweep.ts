// "Start Sweep…" and "Start Phase Diagram…": a form for the lists, then the CLI's `sweep` or `phase` as a
// detached driver in a new sweep folder under the runs folder (docs/sweeps.md).
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { hostSettings, runsRoot } from '../config';
import type { CommandContext } from '../commands';
import { SETTINGS_SECTION } from '../run/launch';
import { listPresets } from '../run/presets';
import { createRunFolder } from '../run/runFolders';
import { trusted, workspaceDir } from '../startTraining';
import {
  checkField,
  PHASE_DEFAULTS,
  phaseCommandArgs,
  SWEEP_FIELDS,
  sweepCommandArgs,
  sweepSize,
  type FieldRule,
  type PhaseForm,
  type SweepForm,
} from './sweepForm';
import type { SweepManager } from './sweepManager';

export interface SweepContext extends CommandContext {
  sweeps: SweepManager;
}

/** Arguments for scripts and tests: with `preset` no question is asked; lists as `0.5,1`. */
export interface StartSweepArgs {
  preset?: string;
  gamma?: string;
  width?: string;
  dropout?: string;
  steps?: number;
  every?: number;
  seeds?: number;
  parallel?: number;
}

export interface StartPhaseArgs {
  preset?: string;
  phaseGamma?: string;
  phaseGammaPrime?: string;
  widths?: string;
  steps?: number;
  parallel?: number;
}

/** A sweep of more runs than this is started only after the user confirms its size. */
const LARGE_SWEEP = 50;

/** One list of the form; undefined when cancelled. */
async function askField(title: string, prompt: string, value: string, rule: FieldRule): Promise<number[] | undefined> {
  const check = (text: string) => {
    const r = checkField(text, rule);
    return 'error' in r ? r.error : undefined;
  };
  const text = await vscode.window.showInputBox({ title, prompt, value, validateInput: check });
  if (text === undefined) return undefined;
  const r = checkField(text, rule);
  return 'values' in r ? r.values : undefined;
}

/** Checks a value given by a script as the form would; a wrong one is reported and stops the command. */
function given(ctx: CommandContext, name: string, text: string | number | undefined, rule: FieldRule): number[] | null {
  const r = checkField(text === undefined ? '' : String(text), rule);
  if ('values' in r) return r.values;
  ctx.reportError(vscode.l10n.t('Start Sweep: {0}: {1}', name, r.error));
  return null;
}

/** The built CLI and trainer, or an error saying to build them. */
function builtScripts(ctx: CommandContext): { cli: string; trainer: string } | undefined {
  const cli = ctx.extension.asAbsolutePath('dist/cli.js');
  const trainer = ctx.extension.asAbsolutePath('dist/trainer.js');
  const missing = [cli, trainer].find((f) => !existsSync(f));
  if (!missing) return { cli, trainer };
  void vscode.window.showErrorMessage(
    vscode.l10n.t('{0} is missing: rebuild the extension with `npm run build`.', missing),
  );
  return undefined;
}

async function pickPreset(ctx: CommandContext, trainer: string, title: string): Promise<string | undefined> {
  try {
    const presets = await listPresets(hostSettings().nodePath, trainer);
    const picked = await vscode.window.showQuickPick(
      presets.map((p) => ({ label: p.name, detail: p.description })),
      { title, placeHolder: vscode.l10n.t('Choose a preset of the trainer'), matchOnDetail: true },
    );
    return picked?.label;
  } catch (e) {
    ctx.reportError((e as Error).message);
    return undefined;
  }
}

/** The form, asked field by field with the defaults filled in; undefined when cancelled. */
async function askForm(preset: string): Promise<SweepForm | undefined> {
  const title = vscode.l10n.t('Start Sweep: {0}', preset);
  const fields: [keyof typeof SWEEP_FIELDS, string, string][] = [
    ['gamma', vscode.l10n.t("γ values, comma-separated (the init scale m^−γ; empty: the preset's)"), '0.25,0.5,1'],
    ['width', vscode.l10n.t("Widths (hidden neurons), comma-separated; empty: the preset's"), ''],
    ['dropout', vscode.l10n.t("Dropout rates in [0, 1), comma-separated; empty: the preset's"), ''],
    ['steps', vscode.l10n.t("Training steps of each run; empty: the preset's"), ''],
    ['seeds', vscode.l10n.t('Seeds per point (each point is trained with seeds 0…K−1)'), '1'],
    ['parallel', vscode.l10n.t('Runs at once'), String(availableParallelism())],
  ];
  const answers: Partial<Record<string, number[]>> = {};
  for (const [field, prompt, value] of fields) {
    const values = await askField(title, prompt, value, SWEEP_FIELDS[field]);
    if (!values) return undefined;
    answers[field] = values;
  }
  return {
    preset,
    gamma: answers.gamma!,
    width: answers.width!,
    dropout: answers.dropout!,
    steps: answers.steps![0],
    seeds: answers.seeds![0] ?? 1,
    parallel: answers.parallel![0] ?? availableParallelism(),
    backend: hostSettings().backend,
  };
}

/** The form from a script's arguments (checked as the form checks them); undefined after reporting a problem. */
function formFromArgs(ctx: CommandContext, args: StartSweepArgs & { preset: string }): SweepForm | undefined {
  const f = SWEEP_FIELDS;
  const lists = {
    gamma: given(ctx, 'gamma', args.gamma, f.gamma),
    width: given(ctx, 'width', args.width, f.width),
    dropout: given(ctx, 'dropout', args.dropout, f.dropout),
    steps: given(ctx, 'steps', args.steps, f.steps),
    every: given(ctx, 'every', args.every, f.steps),
    seeds: given(ctx, 'seeds', args.seeds, f.seeds),
    parallel: given(ctx, 'parallel', args.parallel, f.parallel),
  };
  if (Object.values(lists).some((v) => v === null)) return undefined;
  return {
    preset: args.preset,
    gamma: lists.gamma!,
    width: lists.width!,
    dropout: lists.dropout!,
    steps: lists.steps![0],
    every: lists.every![0],
    seeds: lists.seeds![0] ?? 1,
    parallel: lists.parallel![0] ?? availableParallelism(),
    backend: hostSettings().backend,
  };
}

/** Starts the CLI with `args` (after its script) as the driver of a new sweep folder `name-<timestamp>`. */
async function launchDriver(ctx: SweepContext, cli: string, name: string, args: (out: string) => string[]) {
  const folder = await createRunFolder(runsRoot(ctx.extension), name);
  const sweep = ctx.sweeps.launch(folder, {
    command: hostSettings().nodePath,
    args: [cli, ...args(folder)],
    cwd: workspaceDir() ?? folder,
    setting: `${SETTINGS_SECTION}.nodePath`,
  });
  ctx.refreshTree();
  return sweep;
}

/** The command; returns the sweep folder, or undefined when nothing was started. */
export async function startSweep(ctx: SweepContext, args: StartSweepArgs = {}): Promise<string | undefined> {
  if (!trusted()) return undefined;
  const scripts = builtScripts(ctx);
  if (!scripts) return undefined;
  const preset = args.preset ?? (await pickPreset(ctx, scripts.trainer, vscode.l10n.t('Start Sweep')));
  if (!preset) return undefined;
  const form = args.preset ? formFromArgs(ctx, { ...args, preset }) : await askForm(preset);
  if (!form) return undefined;
  if (!args.preset && sweepSize(form) > LARGE_SWEEP) {
    const start = vscode.l10n.t('Start {0} Runs', sweepSize(form));
    const sure = await vscode.window.showWarningMessage(
      vscode.l10n.t('This sweep trains {0} runs, {1} at a time.', sweepSize(form), form.parallel),
      { modal: true },
      start,
    );
    if (sure !== start) return undefined;
  }
  const sweep = await launchDriver(ctx, scripts.cli, `sweep-${preset}`, (out) => sweepCommandArgs(form, out));
  return sweep.folder;
}

/** Start Phase Diagram…: `phase` with the paper's three γ at γ′ = 0 unless told otherwise. */
export async function startPhaseDiagram(ctx: SweepContext, args: StartPhaseArgs = {}): Promise<string | undefined> {
  if (!trusted()) return undefined;
  const scripts = builtScripts(ctx);
  if (!scripts) return undefined;
  const title = vscode.l10n.t('Start Phase Diagram');
  const fields = [
    ['phaseGamma', vscode.l10n.t('γ values, comma-separated (the JMLR phase γ)')],
    ['phaseGammaPrime', vscode.l10n.t('γ′ values, comma-separated')],
    ['widths', vscode.l10n.t('Widths m, comma-separated (at least two)')],
  ] as const;
  const lists: Partial<Record<(typeof fields)[number][0], number[]>> = {};
  for (const [field, prompt] of fields) {
    const rule = SWEEP_FIELDS[field];
    const values = args.preset
      ? given(ctx, field, args[field] ?? PHASE_DEFAULTS[field], rule)
      : await askField(title, prompt, PHASE_DEFAULTS[field], rule);
    if (!values) return undefined;
    lists[field] = values;
  }
  const steps = given(ctx, 'steps', args.steps, SWEEP_FIELDS.steps);
  const parallel = given(ctx, 'parallel', args.parallel ?? availableParallelism(), SWEEP_FIELDS.parallel);
  if (!steps || !parallel) return undefined;
  const form: PhaseForm = {
    preset: args.preset ?? PHASE_DEFAULTS.preset,
    phaseGamma: lists.phaseGamma!,
    phaseGammaPrime: lists.phaseGammaPrime!,
    widths: lists.widths!,
    steps: steps[0],
    parallel: parallel[0],
  };
  const sweep = await launchDriver(ctx, scripts.cli, `phase-${form.preset}`, (out) => phaseCommandArgs(form, out));
  return sweep.folder;
}

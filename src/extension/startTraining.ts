// "Start Training Run…": a trainer preset (with optional overrides) or the active file as a script.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { hostSettings, runsRoot } from './config';
import type { CommandContext } from './commands';
import {
  scriptLaunchSpec,
  SCRIPT_EXTENSIONS,
  trainerLaunchSpec,
  typeScriptRunnerMissing,
  type TrainerOverrides,
} from './run/launch';
import { listPresets, type PresetInfo } from './run/presets';
import { createRunFolder } from './run/runFolders';
import { recordModelSource } from './codeLens/modelSource';
import type { LaunchSpec } from './run/trainerProcess';

export interface StartTrainingArgs {
  /** A trainer preset name: no prompts are shown. */
  preset?: string;
  overrides?: TrainerOverrides;
  /** Run this file as a training script instead of a preset. */
  script?: string | vscode.Uri;
}

/** Refuses to start processes in Restricted Mode; true when starting is allowed. */
export function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window
    .showWarningMessage(
      vscode.l10n.t(
        'Condensation Lens does not start training runs or scripts in Restricted Mode, because they run code from this workspace. Viewing checkpoints still works. Trust the workspace to start runs.',
      ),
      manage,
    )
    .then((choice) => choice === manage && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

function scriptOfActiveEditor(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === 'file' && SCRIPT_EXTENSIONS.includes(extname(uri.fsPath).toLowerCase()) ? uri : undefined;
}

type Choice = { preset: string } | { script: vscode.Uri };

async function pickPresetOrScript(presets: PresetInfo[]): Promise<Choice | undefined> {
  type Item = vscode.QuickPickItem & { choice?: Choice };
  const items: Item[] = presets.map((p) => ({ label: p.name, detail: p.description, choice: { preset: p.name } }));
  const script = scriptOfActiveEditor();
  if (script) {
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({
      label: `$(play) ${vscode.l10n.t('Run the active file as a training script')}`,
      description: basename(script.fsPath),
      choice: { script },
    });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Start Training Run'),
    placeHolder: vscode.l10n.t('Choose a preset of the trainer'),
    matchOnDetail: true,
  });
  return picked?.choice;
}

async function askNumber(name: string, integer: boolean): Promise<number | undefined | null> {
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Start Training Run'),
    prompt: vscode.l10n.t("{0} (leave empty for the preset's value)", name),
    validateInput: (v) =>
      v.trim() === '' || (Number.isFinite(Number(v)) && (!integer || Number.isInteger(Number(v))) && Number(v) > 0)
        ? undefined
        : vscode.l10n.t('Enter a positive number'),
  });
  if (text === undefined) return null; // cancelled
  return text.trim() === '' ? undefined : Number(text);
}

/** Optional overrides of width, γ, steps and the checkpoint interval; undefined when the user cancelled. */
async function askOverrides(): Promise<TrainerOverrides | undefined> {
  const keep = vscode.l10n.t("Start with the preset's settings");
  const change = vscode.l10n.t('Change width, γ, steps or the checkpoint interval…');
  const how = await vscode.window.showQuickPick([keep, change], { title: vscode.l10n.t('Start Training Run') });
  if (how !== change) return how === keep ? {} : undefined;
  const overrides: TrainerOverrides = {};
  for (const [key, label, integer] of [
    ['width', vscode.l10n.t('Width (hidden neurons)'), true],
    ['gamma', vscode.l10n.t('γ (initialisation scale m^−γ)'), false],
    ['steps', vscode.l10n.t('Training steps'), true],
    ['every', vscode.l10n.t('A checkpoint every N steps'), true],
  ] as const) {
    const value = await askNumber(label, integer);
    if (value === null) return undefined;
    overrides[key] = value;
  }
  return overrides;
}

async function launch(
  ctx: CommandContext,
  name: string,
  spec: (runDir: string) => LaunchSpec,
  preset?: string,
  script?: string,
): Promise<string> {
  const runDir = await createRunFolder(runsRoot(ctx.extension), name);
  // The script is the model's source, for the lenses above its layers (docs/codelens.md).
  if (script) await recordModelSource(runDir, 'script', script);
  const run = ctx.manager.open({ name: basename(runDir), target: { folder: runDir }, preset });
  run.launch(spec(runDir));
  ctx.panels.show(run);
  return run.id;
}

export function workspaceDir(file?: string): string | undefined {
  const folder = file
    ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))
    : vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

async function runScript(ctx: CommandContext, script: vscode.Uri): Promise<string | undefined> {
  const file = script.fsPath;
  const s = hostSettings();
  if (!scriptLaunchSpec(file, s, '')) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        '{0}: only {1} files can be run as training scripts.',
        basename(file),
        SCRIPT_EXTENSIONS.join(', '),
      ),
    );
    return undefined;
  }
  const cwd = workspaceDir(file) ?? dirname(file);
  const missing = typeScriptRunnerMissing(file, cwd);
  if (missing) {
    void vscode.window.showErrorMessage(missing);
    return undefined;
  }
  return launch(
    ctx,
    basename(file, extname(file)),
    (runDir) => scriptLaunchSpec(file, s, runDir, cwd)!,
    undefined,
    file,
  );
}

/** The command; returns the new run's id, or undefined when nothing was started. */
export async function startTraining(ctx: CommandContext, args: StartTrainingArgs = {}): Promise<string | undefined> {
  if (!trusted()) return undefined;
  if (args.script !== undefined)
    return runScript(ctx, typeof args.script === 'string' ? vscode.Uri.file(args.script) : args.script);
  const trainerScript = ctx.extension.asAbsolutePath('dist/trainer.js');
  if (!existsSync(trainerScript)) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('{0} is missing: rebuild the extension with `npm run build`.', trainerScript),
    );
    return undefined;
  }
  const s = hostSettings();
  let preset = args.preset;
  let overrides = args.overrides;
  if (preset === undefined) {
    let presets: PresetInfo[];
    try {
      presets = await listPresets(s.nodePath, trainerScript);
    } catch (e) {
      ctx.reportError((e as Error).message);
      return undefined;
    }
    const choice = await pickPresetOrScript(presets);
    if (!choice) return undefined;
    if ('script' in choice) return runScript(ctx, choice.script);
    preset = choice.preset;
    overrides ??= await askOverrides();
    if (!overrides) return undefined;
  }
  const name = preset;
  const cwd = workspaceDir();
  return launch(
    ctx,
    name,
    (outDir) =>
      trainerLaunchSpec({
        nodePath: s.nodePath,
        trainerScript,
        preset: name,
        outDir,
        backend: s.backend,
        cwd: cwd ?? outDir,
        overrides,
      }),
    name,
  );
}

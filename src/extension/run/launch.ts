// Command lines for the built-in trainer and for a user's own training script.
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { RUN_DIR_VARIABLE } from '../../protocol/runFolder';
import type { LaunchSpec } from './trainerProcess';

/** The `condensationLens.*` settings section (here, free of vscode, so that launch errors can name a setting). */
export const SETTINGS_SECTION = 'condensationLens';

/** Preset fields a user may override before a run (flags of the trainer). */
export interface TrainerOverrides {
  width?: number;
  gamma?: number;
  steps?: number;
  every?: number;
}

export interface TrainerLaunch {
  nodePath: string;
  /** dist/trainer.js of this extension. */
  trainerScript: string;
  preset: string;
  outDir: string;
  backend: string;
  cwd: string;
  overrides?: TrainerOverrides;
}

export function trainerLaunchSpec(t: TrainerLaunch): LaunchSpec {
  const flags = Object.entries(t.overrides ?? {})
    .filter(([, v]) => v !== undefined)
    .flatMap(([k, v]) => [`--${k}`, String(v)]);
  return {
    command: t.nodePath,
    args: [t.trainerScript, t.preset, '--progress', 'json', '--out', t.outDir, '--backend', t.backend, ...flags],
    cwd: t.cwd,
    setting: `${SETTINGS_SECTION}.nodePath`,
  };
}

export interface Interpreters {
  nodePath: string;
  pythonPath: string;
}

const RUNNERS: Record<string, keyof Interpreters> = {
  '.js': 'nodePath',
  '.mjs': 'nodePath',
  '.cjs': 'nodePath',
  '.ts': 'nodePath',
  '.py': 'pythonPath',
};

/** Script file types that can be run as training scripts. */
export const SCRIPT_EXTENSIONS = Object.keys(RUNNERS);

/** How to run `script` with its run folder in CONDENSATION_LENS_RUN_DIR; undefined for other file types. */
export function scriptLaunchSpec(
  script: string,
  interpreters: Interpreters,
  runDir: string,
  cwd = dirname(script),
): LaunchSpec | undefined {
  const runner = RUNNERS[extname(script).toLowerCase()];
  if (!runner) return undefined;
  // -u: Python buffers stdout into a pipe otherwise, and progress lines would arrive late.
  // Node 20 cannot run TypeScript itself: the workspace's tsx loader does (see typeScriptRunnerMissing).
  const args = runner === 'pythonPath' ? ['-u', script] : isTypeScript(script) ? ['--import', 'tsx', script] : [script];
  return {
    command: interpreters[runner],
    args,
    cwd,
    env: { [RUN_DIR_VARIABLE]: runDir },
    setting: `${SETTINGS_SECTION}.${runner}`,
  };
}

function isTypeScript(script: string): boolean {
  return extname(script).toLowerCase() === '.ts';
}

/** For a `.ts` script whose workspace (`cwd`) has no tsx: what to do, in one line; else undefined. */
export function typeScriptRunnerMissing(script: string, cwd: string): string | undefined {
  if (!isTypeScript(script)) return undefined;
  try {
    createRequire(join(cwd, 'noop.js')).resolve('tsx');
    return undefined;
  } catch {
    return `${script}: a TypeScript training script runs with the tsx loader, which ${cwd} does not have; run \`npm install --save-dev tsx\` there, or run the compiled .js`;
  }
}

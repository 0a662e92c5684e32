// The trainer's presets, asked from the trainer itself so that the list is never out of date.
import { execFile } from 'node:child_process';
import { SETTINGS_SECTION } from './launch';

export interface PresetInfo {
  name: string;
  /** One line for the QuickPick. */
  description: string;
}

/** How long listing the presets may take before it is reported as failing. */
const LIST_TIMEOUT_MS = 30_000;

/** Parses `--list-presets` output: an array of {name, summary | description}. */
export function parsePresetList(json: string): PresetInfo[] {
  const list = JSON.parse(json) as unknown;
  if (!Array.isArray(list)) throw new Error('expected a JSON array of presets');
  return list.map((p: { name?: unknown; summary?: unknown; description?: unknown }) => {
    if (typeof p?.name !== 'string') throw new Error('a preset without a name');
    const description =
      typeof p.summary === 'string' ? p.summary : typeof p.description === 'string' ? p.description : '';
    return { name: p.name, description };
  });
}

/** Runs `<node> <trainer> --list-presets`; the error says which command failed and why. */
export function listPresets(nodePath: string, trainerScript: string): Promise<PresetInfo[]> {
  return new Promise((resolve, reject) => {
    execFile(
      nodePath,
      [trainerScript, '--list-presets'],
      { timeout: LIST_TIMEOUT_MS, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) {
          const why = stderr.trim().split('\n').at(-1) || err.message;
          const fix =
            (err as NodeJS.ErrnoException).code === 'ENOENT'
              ? `; set ${SETTINGS_SECTION}.nodePath to the full path of node`
              : '';
          reject(
            new Error(
              `could not list the trainer's presets with '${nodePath} ${trainerScript} --list-presets': ${why}${fix}`,
            ),
          );
          return;
        }
        try {
          resolve(parsePresetList(stdout));
        } catch (e) {
          reject(new Error(`${trainerScript} --list-presets: ${(e as Error).message}`));
        }
      },
    );
  });
}

// Which source file defines a run's model, kept in the run's run.json: `script` (the training
// script the run was started from) or `modelSource` (linked by the user). No vscode.
import { join, relative, resolve, isAbsolute } from 'node:path';
import { readTextCapped } from '../../core/formats/fileAccess';
import { readerLimits } from '../../core/formats/limits';
import { writeFileAtomic } from '../../core/formats/safetensorsWriter';

/** run.json fields naming the model's source, the first one present wins. */
const SOURCE_FIELDS = ['modelSource', 'script'] as const;

async function readRunJson(folder: string): Promise<Record<string, unknown>> {
  try {
    // run.json is the user's: a FIFO or a huge file there is refused, never waited on.
    const value: unknown = JSON.parse(await readTextCapped(join(folder, 'run.json'), readerLimits.maxSideFileBytes));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The model source of the run in `folder` as an absolute path, or undefined. */
export async function readModelSource(folder: string): Promise<string | undefined> {
  const json = await readRunJson(folder);
  for (const field of SOURCE_FIELDS) {
    const value = json[field];
    if (typeof value === 'string' && value !== '') return isAbsolute(value) ? value : resolve(folder, value);
  }
  return undefined;
}

/** Sets `field` in the run's run.json, keeping its other fields; throws when the folder cannot be written. */
export async function recordModelSource(
  folder: string,
  field: (typeof SOURCE_FIELDS)[number],
  source: string,
): Promise<void> {
  const json = await readRunJson(folder);
  // Relative to the run folder, so that a copied workspace (run and code together) keeps the link.
  json[field] = relative(folder, source).split('\\').join('/');
  writeFileAtomic(join(folder, 'run.json'), JSON.stringify(json, null, 2) + '\n');
}

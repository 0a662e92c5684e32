// The checkpoints in one folder: single files, shard indexes with their shards, TF.js models with their
// weights, and folder checkpoints (Hugging Face `checkpoint-N/`); side files are recognised and left out.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type Checkpoint, CheckpointError, type CheckpointEntry } from '../checkpoint';
import {
  describeCheckpointKinds,
  isCheckpointFile,
  isCheckpointJson,
  openCheckpoint,
  type OpenOptions,
} from '../formats';
import { readTextCapped } from '../formats/fileAccess';
import { readerLimits } from '../formats/limits';
import { shardNames } from '../formats/shardIndex';
import { isShardName, isSideFile, isTemporary, stepFromName } from './names';
import { readTrainerState, TRAINER_STATE, type TrainerState } from './trainerState';

/** Which subfolders of a folder may be folder checkpoints. */
export type SubfolderRule = (name: string) => boolean;

export const noSubfolders: SubfolderRule = () => false;
export const anySubfolder: SubfolderRule = () => true;

/** The files a JSON checkpoint (shard index, model.json, weights manifest) names, from its text. */
async function namedFiles(path: string): Promise<string[]> {
  try {
    const json: unknown = JSON.parse(await readTextCapped(path, readerLimits.maxHeaderBytes));
    const groups = Array.isArray(json) ? json : (json as { weightsManifest?: unknown })?.weightsManifest;
    if (Array.isArray(groups))
      return groups.flatMap((g) =>
        Array.isArray(g?.paths) ? g.paths.filter((p: unknown) => typeof p === 'string') : [],
      );
    return shardNames(json);
  } catch {
    return []; // not complete JSON yet
  }
}

/**
 * TF.js models saved under their own name, as face-api ships them (`age.json` beside `age.bin`): a `<stem>.json` whose
 * `<stem>.bin` is beside it and whose weights manifest names files of the folder. Only such pairs are read, so a
 * folder's other JSON (a tokenizer's, a config) is never parsed.
 */
async function namedModels(dir: string, names: readonly string[]): Promise<string[]> {
  const models: string[] = [];
  for (const name of names) {
    const stem = /^(.+)\.json$/i.exec(name)?.[1];
    if (!stem || isCheckpointJson(name) || isSideFile(name) || !names.includes(`${stem}.bin`)) continue;
    if ((await namedFiles(join(dir, name))).some((file) => names.includes(file))) models.push(name);
  }
  return models;
}

/** Whether `name` is a shard of the JSON checkpoint `json` by name alone (before its index can be read). */
function shardByName(json: string, name: string): boolean {
  if (/\.index\.json$/i.test(json)) {
    const stem = json.replace(/\.(safetensors|bin)\.index\.json$/i, '');
    return isShardName(name) && name.startsWith(`${stem}-`);
  }
  return /\.bin$/i.test(name) || /-shard\d+(of\d+)?$/i.test(name);
}

async function statFiles(paths: readonly string[]): Promise<{ size: number; mtimeMs: number } | undefined> {
  let size = 0;
  let mtimeMs = 0;
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    size += info.size;
    mtimeMs = Math.max(mtimeMs, info.mtimeMs);
  }
  return { size, mtimeMs };
}

async function entry(
  path: string,
  name: string,
  files: readonly string[],
  step: number | null,
): Promise<CheckpointEntry | undefined> {
  const info = await statFiles(files);
  return info && { path, name, files, step, ...info, open: () => openEntry(path) };
}

/** The checkpoints directly in `dir` (names prefixed with `prefix`), and those subfolders `rule` admits. */
export async function folderEntries(dir: string, prefix = '', rule: SubfolderRule = noSubfolders) {
  const dirents = (await readdir(dir, { withFileTypes: true })).filter((d) => !isTemporary(d.name));
  const names = dirents.filter((d) => d.isFile()).map((d) => d.name);
  const claimed = new Set<string>();
  const entries: CheckpointEntry[] = [];
  for (const json of [...names.filter(isCheckpointJson), ...(await namedModels(dir, names))]) {
    const listed = new Set(await namedFiles(join(dir, json)));
    // Until the JSON can be read (still being written), its shards are claimed by name.
    const shards = names.filter((n) => n !== json && (listed.size > 0 ? listed.has(n) : shardByName(json, n)));
    for (const shard of shards) claimed.add(shard);
    const files = [json, ...shards].map((n) => join(dir, n));
    const found = await entry(join(dir, json), prefix + json, files, stepFromName(join(dir, json)));
    if (found) entries.push(found);
  }
  for (const name of names) {
    if (claimed.has(name) || isCheckpointJson(name) || isSideFile(name) || !isCheckpointFile(name, names)) continue;
    const found = await entry(join(dir, name), prefix + name, [join(dir, name)], stepFromName(join(dir, name)));
    if (found) entries.push(found);
  }
  for (const d of dirents) {
    if (!d.isDirectory() || !rule(d.name)) continue;
    const found = await folderCheckpoint(join(dir, d.name), prefix + d.name);
    if (found) entries.push(found);
  }
  return entries;
}

/** A folder holding exactly one checkpoint (plus side files and configs), or undefined; its files count for readiness. */
export async function folderCheckpoint(dir: string, name = basename(dir)): Promise<CheckpointEntry | undefined> {
  const inner = await folderEntries(dir).catch(() => []);
  if (inner.length !== 1) return undefined;
  const files = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isFile() && !isTemporary(d.name))
    .map((d) => join(dir, d.name));
  const state = await readTrainerState(dir);
  const step = state?.globalStep ?? inner[0].step;
  const found = await entry(inner[0].path, `${name}/${inner[0].name}`, files, step);
  return found && { ...found, folder: dir };
}

/** The checkpoint `path` belongs to, with all its files: a file, a JSON checkpoint with its shards, or a folder. */
export async function checkpointEntryAt(path: string): Promise<CheckpointEntry | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return folderCheckpoint(path);
  if (!info?.isFile()) return undefined;
  if (/\.json$/i.test(path)) {
    // A JSON checkpoint with its shards (a model.json, or a TF.js model under its own name).
    const listed = (await folderEntries(dirname(path))).find((e) => e.path === path);
    if (listed || isCheckpointJson(path)) return listed;
  }
  return entry(path, basename(path), [path], stepFromName(path));
}

/**
 * Opens a checkpoint file, a shard index or a model.json as one checkpoint; a checkpoint folder (given
 * itself, or through its weights file) adds what its trainer_state.json says.
 */
export async function openEntry(path: string, options: OpenOptions = {}): Promise<Checkpoint> {
  const info = await stat(path).catch(() => undefined);
  const folder = info?.isDirectory() ? path : dirname(path);
  if (!info?.isDirectory() && !(await stat(join(folder, TRAINER_STATE)).catch(() => undefined)))
    return openCheckpoint(path, options);
  const inner = await folderEntries(folder).catch(() => []);
  if (info?.isDirectory() && inner.length !== 1) {
    const found = inner.map((e) => e.name).join(', ');
    throw new CheckpointError(
      path,
      inner.length === 0
        ? `is a directory holding no checkpoint (looked for ${describeCheckpointKinds()}); open a checkpoint file or a run folder`
        : `is a directory holding ${inner.length} checkpoints (${found}); analyse it as a run folder or open one of them`,
    );
  }
  const ckpt = await openCheckpoint(info?.isDirectory() ? inner[0].path : path, options);
  // Only a folder that is one checkpoint speaks for it: a flat run folder's trainer_state.json is the run's.
  const own = inner.length === 1 && resolve(inner[0].path) === resolve(ckpt.path);
  return own ? withTrainerState(ckpt, await readTrainerState(folder)) : ckpt;
}

/** A folder checkpoint's trainer_state.json supplies the step and loss its weights file lacks. */
function withTrainerState(ckpt: Checkpoint, state: TrainerState | undefined): Checkpoint {
  if (!state) return ckpt;
  const step = ckpt.step ?? state.globalStep;
  const loss = step === undefined ? undefined : state.lossAt(step);
  return {
    ...ckpt,
    step,
    metadata: { ...(loss === undefined ? {} : { loss: String(loss) }), ...ckpt.metadata },
    files: [...(ckpt.files ?? [ckpt.path]), state.path],
  };
}

// Run folders (docs/formats.md): the checkpoints in step order, metrics.jsonl, run.json.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RunManifest } from '../protocol/runFolder';
import { isCheckpointFile, readerLimits } from './formats';
import { readTextCapped } from './formats/fileAccess';

export interface CheckpointEntry {
  path: string;
  /** Name relative to the run folder, for display and reports. */
  name: string;
  /** Step from the last run of digits in the file (or TF.js folder) name; metadata may refine it. */
  step: number | null;
  size: number;
  mtimeMs: number;
}

/** Files a writer has not renamed into place yet. */
function isTemporary(name: string): boolean {
  return name.startsWith('.') || /\.(tmp|part|partial)$/i.test(name) || name.includes('.tmp-');
}

/**
 * `epoch_12.pt` → 12: the last run of digits in a name, ignoring the extension. A TF.js checkpoint
 * is a folder, so `step-20/model.json` takes the digits of its folder's name.
 */
export function stepFromName(path: string): number | null {
  const name = basename(path) === 'model.json' ? basename(dirname(path)) : basename(path);
  const stem = name.replace(/\.[^.]*$/, '');
  const runs = stem.match(/\d+/g);
  return runs ? Number(runs[runs.length - 1]) : null;
}

/** Orders by step (unknown steps last), then modification time, then name. */
export function byStep<T extends { step: number | null; mtimeMs: number; name: string }>(a: T, b: T): number {
  if (a.step !== null && b.step !== null && a.step !== b.step) return a.step - b.step;
  if ((a.step === null) !== (b.step === null)) return a.step === null ? 1 : -1;
  return a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name);
}

/** The folder holding the checkpoints: `<run>/checkpoints` if present, else the run folder. */
export async function checkpointFolder(dir: string): Promise<string> {
  const sub = join(dir, 'checkpoints');
  return (await stat(sub).catch(() => undefined))?.isDirectory() ? sub : dir;
}

/** Every checkpoint of a run (files, and TF.js `model.json` folders), in step order. */
export async function listCheckpoints(dir: string): Promise<CheckpointEntry[]> {
  const folder = await checkpointFolder(dir);
  const prefix = folder === dir ? '' : 'checkpoints/';
  const entries: CheckpointEntry[] = [];
  const dirents = await readdir(folder, { withFileTypes: true });
  const siblings = dirents.map((d) => d.name); // `.bin` beside a model.json is a TF.js shard, not a checkpoint
  for (const d of dirents) {
    if (isTemporary(d.name)) continue;
    const path = d.isDirectory() ? join(folder, d.name, 'model.json') : join(folder, d.name);
    if (!d.isDirectory() && !isCheckpointFile(d.name, siblings)) continue;
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    const name = prefix + (d.isDirectory() ? `${d.name}/model.json` : d.name);
    entries.push({ path, name, step: stepFromName(path), size: info.size, mtimeMs: info.mtimeMs });
  }
  return entries.sort(byStep);
}

/** The records of `metrics.jsonl`; lines that are not complete JSON objects (yet) are skipped. */
export async function readMetricsJsonl(dir: string): Promise<Record<string, unknown>[]> {
  const text = await readTextCapped(join(dir, 'metrics.jsonl'), readerLimits.maxSideFileBytes).catch(() => '');
  const records: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) records.push(value as Record<string, unknown>);
    } catch {
      // a line still being written, or garbage: skipped until it is complete JSON
    }
  }
  return records;
}

export async function readRunManifest(dir: string): Promise<Partial<RunManifest> | undefined> {
  try {
    const value: unknown = JSON.parse(await readTextCapped(join(dir, 'run.json'), readerLimits.maxSideFileBytes));
    return value && typeof value === 'object' ? (value as Partial<RunManifest>) : undefined;
  } catch {
    return undefined;
  }
}

/** Loss per step from metrics.jsonl (the last record of a step wins). */
export function lossByStep(records: readonly Record<string, unknown>[]): Map<number, number> {
  const map = new Map<number, number>();
  for (const r of records) if (typeof r.step === 'number' && typeof r.loss === 'number') map.set(r.step, r.loss);
  return map;
}

// Lists the checkpoints of a watch target with their size and mtime, each summed over all the files of
// the checkpoint (shards, a folder's files), so readiness is judged over all of them (no file is opened).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointEntryAt, listCheckpoints } from '../../core/run';
import type { FileStat } from './checkpointTracker';

export type WatchTarget = { folder: string } | { file: string };

export async function listCheckpointStats(target: WatchTarget): Promise<FileStat[]> {
  try {
    const entries = 'folder' in target ? await listCheckpoints(target.folder) : [await checkpointEntryAt(target.file)];
    return entries.flatMap((e) => (e ? [{ path: e.path, size: e.size, mtimeMs: e.mtimeMs }] : []));
  } catch {
    return []; // a run folder the trainer has not created yet, or a file removed meanwhile
  }
}

/** The files among `names` that exist in a folder target (metrics.jsonl, run.json …), with their stats. */
export async function listSideFiles(target: WatchTarget, names: readonly string[]): Promise<FileStat[]> {
  if (!('folder' in target)) return [];
  const found = await Promise.all(
    names.map(async (name) => {
      const path = join(target.folder, name);
      const s = await stat(path).catch(() => undefined);
      return s?.isFile() ? [{ path, size: s.size, mtimeMs: s.mtimeMs }] : [];
    }),
  );
  return found.flat();
}

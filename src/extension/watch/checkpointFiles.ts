// Lists the checkpoints of a watch target with their size and mtime, each summed over all the files of
// the checkpoint (shards, a folder's files), so readiness is judged over all of them (no file is opened).
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

// Lists the checkpoint files of a run folder (the folder itself and its `checkpoints/`) with their stats.
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { FileStat } from './checkpointTracker';

/** The checkpoint formats the engine reads (FORMATS.md), by file extension. */
const CHECKPOINT_EXTENSIONS = new Set(['.safetensors', '.pt', '.pth', '.ckpt', '.npz', '.npy']);

/** Hidden names are temporaries being written (renamed into place when complete). */
export function looksLikeCheckpoint(name: string): boolean {
  return !name.startsWith('.') && CHECKPOINT_EXTENSIONS.has(extname(name).toLowerCase());
}

export type WatchTarget = { folder: string } | { file: string };

async function statFile(path: string): Promise<FileStat | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? { path, size: s.size, mtimeMs: s.mtimeMs } : undefined;
  } catch {
    return undefined; // removed between listing and stat, or not there yet
  }
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter(looksLikeCheckpoint).map((n) => join(dir, n));
  } catch {
    return []; // a run folder that the trainer has not created yet
  }
}

export async function listCheckpointStats(target: WatchTarget): Promise<FileStat[]> {
  const paths = 'file' in target ? [target.file] : [...(await namesIn(target.folder)), ...(await namesIn(join(target.folder, 'checkpoints')))];
  const stats = await Promise.all(paths.map(statFile));
  return stats.filter((s): s is FileStat => s !== undefined);
}

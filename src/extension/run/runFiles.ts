// The side files of a run folder the host reads besides the checkpoints: metrics.jsonl (read as it
// grows) and run.json (what the run is, its total steps, the process writing it).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonRecords, LineTail } from '../watch/lineTail';

export const METRICS_FILE = 'metrics.jsonl';
export const MANIFEST_FILE = 'run.json';
/** The side files the watcher reports changes of. */
export const SIDE_FILES = [METRICS_FILE, MANIFEST_FILE];

/** run.json as the host reads it: every field optional, as a user's script may write any of them. */
export type Manifest = Record<string, unknown>;

/** The run's last step, when run.json says: `total_steps`, else the trainer's `config.steps`. */
export function manifestTotalSteps(manifest: Manifest): number | undefined {
  const config = manifest.config as Record<string, unknown> | undefined;
  const total = manifest.total_steps ?? config?.steps;
  return typeof total === 'number' && total > 0 ? total : undefined;
}

export async function readManifest(folder: string): Promise<Manifest | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Manifest) : undefined;
  } catch {
    return undefined; // not written yet, or being rewritten
  }
}

/** metrics.jsonl, read from where the previous read stopped; one read at a time. */
export class MetricsFile {
  private readonly tail: LineTail;
  private reading: Promise<unknown> = Promise.resolve();

  constructor(folder: string) {
    this.tail = new LineTail(join(folder, METRICS_FILE));
  }

  /** The complete records appended since the last call. */
  read(): Promise<Record<string, unknown>[]> {
    const next = this.reading.then(async () => jsonRecords((await this.tail.read()).lines));
    this.reading = next.catch(() => undefined);
    return next;
  }
}

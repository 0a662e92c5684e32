// The side files of a run folder the host reads besides the checkpoints: metrics.jsonl (read as it
// grows) and run.json (what the run is, its total steps, the process writing it).
import { open, readFile } from 'node:fs/promises';
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

/** The last lines of metrics.jsonl are looked for a step in this many bytes from its end. */
const TAIL_BYTES = 16 * 1024;

/** The step of metrics.jsonl's last complete record with one: how far a run is that no process here reports on. */
export async function lastMetricsStep(folder: string): Promise<number | undefined> {
  let file;
  try {
    file = await open(join(folder, METRICS_FILE), 'r');
  } catch {
    return undefined; // none yet
  }
  try {
    const { size } = await file.stat();
    const length = Math.min(size, TAIL_BYTES);
    const { buffer } = await file.read(Buffer.alloc(length), 0, length, size - length);
    // The first line may be cut by the window, the last one still being written: jsonRecords skips both.
    const lines = buffer.toString('utf8').split('\n').slice(0, -1);
    const steps = jsonRecords(lines).flatMap((r) =>
      typeof r.step === 'number' && Number.isFinite(r.step) ? [r.step] : [],
    );
    return steps.at(-1);
  } finally {
    await file.close();
  }
}

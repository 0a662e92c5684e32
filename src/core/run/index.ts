// Run folders (docs/formats.md): the checkpoints in step order, metrics.jsonl, run.json, trainer_state.json.
import { join } from 'node:path';
import type { RunManifest } from '../../protocol/runFolder';
import { readerLimits } from '../formats/limits';
import { readTextCapped } from '../formats/fileAccess';

export type { CheckpointEntry } from '../checkpoint';
export { checkpointEntryAt, openEntry } from './entries';
export { detectRun, listCheckpoints, noCheckpointsMessage, runLayouts } from './layouts';
export { isSideFile, stepFromName } from './names';
export { byStep } from './steps';
export { readTrainerState } from './trainerState';

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

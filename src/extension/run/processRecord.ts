// What a run folder records of the process writing it (run.json `process`), so that a window reloaded
// later finds it again, and tells it from a later process that got the same pid.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/formats/safetensorsWriter';
import { MANIFEST_FILE, readManifest } from './runFiles';

export interface ProcessRecord {
  pid: number;
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat field 22; Linux only). */
  startTicks?: number;
  /** When it was started (ms since 1970). */
  startedAt: number;
  /** The machine it runs on: a pid means nothing on another one (a run folder on a shared disk). */
  host: string;
  command: string[];
  cwd: string;
  /** Its stdout and stderr, relative to the run folder. */
  logs: { stdout: string; stderr: string };
  /** Set once the host that started it saw it exit. */
  exit?: { code: number | null; signal: string | null; stopped: boolean };
}

/** /proc/<pid>/stat: the state letter and the start time, or undefined without /proc or such a process. */
function procStat(pid: number): { state: string; startTicks: number } | undefined {
  try {
    // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ')'.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], startTicks: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

export function processStartTicks(pid: number): number | undefined {
  return procStat(pid)?.startTicks;
}

/** True while the recorded process runs: same machine, the pid alive and not a zombie, the same start time. */
export function isSameProcess(record: ProcessRecord): boolean {
  if (record.host !== hostname()) return false;
  try {
    process.kill(record.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = procStat(record.pid);
  if (!now) return process.platform !== 'linux'; // no /proc to compare with: the pid is all there is
  return now.state !== 'Z' && (record.startTicks === undefined || now.startTicks === record.startTicks);
}

export function isProcessRecord(value: unknown): value is ProcessRecord {
  const r = value as Partial<ProcessRecord> | undefined;
  return (
    typeof r === 'object' &&
    r !== null &&
    Number.isInteger(r.pid) &&
    typeof r.host === 'string' &&
    Array.isArray(r.command) &&
    typeof r.logs?.stdout === 'string' &&
    typeof r.logs?.stderr === 'string'
  );
}

export async function readProcessRecord(folder: string): Promise<ProcessRecord | undefined> {
  const value = (await readManifest(folder))?.process;
  return isProcessRecord(value) ? value : undefined;
}

/**
 * Puts `record` into run.json's `process` entry, keeping whatever else the file holds (not while it is half
 * written). Synchronous: right after the spawn it is done before the new process can write run.json itself.
 */
export function writeProcessRecord(folder: string, record: ProcessRecord): void {
  const path = join(folder, MANIFEST_FILE);
  let manifest: Record<string, unknown> | undefined;
  if (existsSync(path)) {
    try {
      manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch {
      return;
    }
  }
  writeFileAtomic(path, JSON.stringify({ ...manifest, process: record }, null, 2) + '\n');
}

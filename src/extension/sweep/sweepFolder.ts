// A sweep folder as the Runs tree shows it: sweep.json (written by `sweep` and `phase`) read into a group
// whose runs are its point folders, each labelled by the values that vary, with the state its driver recorded
// in sweep-points.jsonl (docs/sweeps.md).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PHASE_FILE } from '../../protocol/phase';
import { parseSweepProgressLine, SWEEP_POINTS_FILE } from '../../protocol/sweepProgress';
import type { SweepPointState } from '../commandArgs';

export const SWEEP_FILE = 'sweep.json';

export interface SweepRun {
  /** The point's folder in the sweep folder (absolute). */
  folder: string;
  /** Its folder name, as the sweep driver's progress lines name it. */
  name: string;
  /** What varies, as people read it: `γ = 0.5 · width = 1000`. */
  label: string;
  /** What the driver's last line for this point said (none before it started, or without sweep-points.jsonl). */
  state?: SweepPointState;
}

export interface SweepGroup {
  folder: string;
  preset: string;
  runs: SweepRun[];
  /** A `phase` folder that has its phase.json (the Phase Diagram can be drawn). */
  phase: boolean;
}

/** How a flag reads in a label. */
const FLAG_NAMES: Record<string, string> = {
  gamma: 'γ',
  'phase-gamma': 'γ',
  'phase-gamma-prime': 'γ′',
  width: 'width',
  dropout: 'dropout',
  seed: 'seed',
};

/** `γ = 0.5 · width = 1000` for the values that vary; the folder name when none do. */
export function pointLabel(values: Record<string, string>, name: string): string {
  const parts = Object.entries(values).map(([flag, v]) => `${FLAG_NAMES[flag] ?? flag} = ${v}`);
  return parts.length > 0 ? parts.join(' · ') : name;
}

/** The group a sweep.json text describes; undefined when it is not a sweep.json this version reads. */
export function parseSweepManifest(text: string, folder: string): Omit<SweepGroup, 'phase'> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // being written, or not ours
  }
  const m = value as { version?: unknown; preset?: unknown; points?: unknown } | null;
  if (m?.version !== 1 || typeof m.preset !== 'string' || !Array.isArray(m.points)) return undefined;
  const runs: SweepRun[] = [];
  for (const p of m.points as { name?: unknown; values?: unknown }[]) {
    // A point name is one folder inside the sweep: never a path out of it.
    if (typeof p?.name !== 'string' || !/^[\w.=-]+$/.test(p.name) || /^\.+$/.test(p.name)) return undefined;
    const values =
      p.values && typeof p.values === 'object' && !Array.isArray(p.values)
        ? Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, String(v)]))
        : {};
    runs.push({ folder: join(folder, p.name), name: p.name, label: pointLabel(values, p.name) });
  }
  return { folder, preset: m.preset, runs };
}

/** Each point's state by its name, from the text of sweep-points.jsonl: the last line about a point holds. */
export function parsePointStates(text: string): Map<string, SweepPointState> {
  const states = new Map<string, SweepPointState>();
  // A last line without its newline may still be being written.
  for (const line of text.split('\n').slice(0, -1)) {
    const p = parseSweepProgressLine(line);
    if (p?.type !== 'sweep-point') continue;
    const step = typeof p.step === 'number' && Number.isFinite(p.step) ? p.step : undefined;
    const message = p.state === 'failed' && typeof p.message === 'string' ? p.message : undefined;
    states.set(p.name, { status: p.state === 'started' ? 'running' : p.state, step, message });
  }
  return states;
}

/** The sweep in `folder`, or undefined when it has no (readable) sweep.json. */
export async function readSweepGroup(folder: string): Promise<SweepGroup | undefined> {
  let text: string;
  try {
    text = await readFile(join(folder, SWEEP_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const group = parseSweepManifest(text, folder);
  if (!group) return undefined;
  const states = parsePointStates(await readFile(join(folder, SWEEP_POINTS_FILE), 'utf8').catch(() => ''));
  const runs = group.runs.map((r) => (states.has(r.name) ? { ...r, state: states.get(r.name) } : r));
  return { ...group, runs, phase: existsSync(join(folder, PHASE_FILE)) };
}

/** The point of a sweep that `folder` is (its sweep folder holds it in sweep.json), with its preset. */
export async function sweepPointOf(folder: string): Promise<(SweepRun & { preset: string }) | undefined> {
  const group = await readSweepGroup(dirname(resolve(folder)));
  const run = group?.runs.find((r) => r.folder === resolve(folder));
  return run && { ...run, preset: group!.preset };
}

// What the Runs tree lists, without vscode: sweep folders become groups of their run folders (docs/sweeps.md).
import { relative, sep, isAbsolute } from 'node:path';
import type { RunsTreeNode, SweepPointState } from '../commandArgs';
import { STATUS_LABELS, type RunStatus } from '../../protocol/panel';
import type { SweepGroup } from '../sweep/sweepFolder';

function inside(folder: string, parent: string): boolean {
  const rel = relative(parent, folder);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * The top level: each folder as a run, except that a sweep folder is a group and the folders inside a sweep
 * (its runs, shown under it) are not repeated. `groups` are the sweeps among `folders`.
 */
export function topLevelNodes(folders: readonly string[], groups: readonly SweepGroup[]): RunsTreeNode[] {
  const byFolder = new Map(groups.map((g) => [g.folder, g]));
  return folders
    .filter((f) => !groups.some((g) => inside(f, g.folder)))
    .map((folder): RunsTreeNode => {
      const g = byFolder.get(folder);
      if (!g) return { kind: 'run', folder };
      const node: RunsTreeNode = {
        kind: 'sweep',
        folder,
        preset: g.preset,
        runs: g.runs.map((r) => r.folder),
        phase: g.phase,
      };
      return g.runs.some((r) => r.state) ? { ...node, points: g.runs.map((r) => r.state) } : node;
    });
}

/** A sweep's runs in grid order, labelled by what varies, with what its driver said; a point not started yet is pending. */
export function sweepChildren(group: SweepGroup, exists: (folder: string) => boolean): RunsTreeNode[] {
  return group.runs.map((r) => ({
    kind: 'run',
    folder: r.folder,
    label: r.label,
    pending: !exists(r.folder),
    ...(r.state && { point: r.state }),
  }));
}

/**
 * A run's status as the tree shows it: the window's own (a process it follows, a sweep it drives), or for a sweep
 * point that it only watches or does not know, what the sweep's driver said, at the furthest step either knows.
 */
export function shownStatus(
  known: { status: RunStatus; step?: number } | undefined,
  point: SweepPointState | undefined,
): { status: RunStatus; step?: number } | undefined {
  if (!point || (known && known.status !== 'watching')) return known;
  const steps = [point.step, known?.step].filter((s): s is number => s !== undefined);
  return { status: point.status, step: steps.length > 0 ? Math.max(...steps) : undefined };
}

/** `finished · step 40`. */
export function statusText(shown: { status: RunStatus; step?: number }): string {
  return STATUS_LABELS[shown.status] + (shown.step !== undefined ? ` · step ${shown.step}` : '');
}

/** The group's description: `relu-1d · 2 of 4 finished · 1 running` (statuses of the runs known so far). */
export function sweepDescription(preset: string, total: number, statuses: readonly RunStatus[]): string {
  const count = (s: RunStatus) => statuses.filter((x) => x === s).length;
  const parts = [preset, `${count('finished')} of ${total} finished`];
  for (const s of ['running', 'failed', 'stopped'] as const) if (count(s) > 0) parts.push(`${count(s)} ${s}`);
  return parts.join(' · ');
}

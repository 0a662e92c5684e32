// What the Runs tree lists, without vscode: sweep folders become groups of their run folders (docs/sweeps.md).
import { relative, sep, isAbsolute } from 'node:path';
import type { RunsTreeNode } from '../commandArgs';
import type { RunStatus } from '../../protocol/panel';
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
      return g
        ? { kind: 'sweep', folder, preset: g.preset, runs: g.runs.map((r) => r.folder), phase: g.phase }
        : { kind: 'run', folder };
    });
}

/** A sweep's runs in grid order, labelled by what varies; a point not started yet is pending. */
export function sweepChildren(group: SweepGroup, exists: (folder: string) => boolean): RunsTreeNode[] {
  return group.runs.map((r) => ({ kind: 'run', folder: r.folder, label: r.label, pending: !exists(r.folder) }));
}

/** The group's description: `relu-1d · 2 of 4 finished · 1 running` (statuses of the runs known so far). */
export function sweepDescription(preset: string, total: number, statuses: readonly RunStatus[]): string {
  const count = (s: RunStatus) => statuses.filter((x) => x === s).length;
  const parts = [preset, `${count('finished')} of ${total} finished`];
  for (const s of ['running', 'failed', 'stopped'] as const) if (count(s) > 0) parts.push(`${count(s)} ${s}`);
  return parts.join(' · ');
}

// A checkpoint's notes as the panel keeps them (per checkpoint) and shows them (the same note once, with its checkpoints).
import { escapeText } from './displayText';
import type { CheckpointNotes } from './panel';
import type { CheckpointReport } from './report';

/** The notes of a report entry (or outline) read from `path` at `step`, each without the "name: " the engine puts first. */
export function checkpointNotes(
  path: string,
  step: number | null,
  entry: Pick<CheckpointReport, 'path' | 'notes'>,
): CheckpointNotes {
  const name = escapeText(entry.path);
  const prefix = `${name}: `;
  const notes = (entry.notes ?? []).map((n) => (n.startsWith(prefix) ? n.slice(prefix.length) : n));
  return { path, name, step, notes };
}

/** One note and the names of the checkpoints that have it, in step order. */
export interface NoteGroup {
  note: string;
  checkpoints: string[];
}

/** The notes of a run, each note once, in the order of the first checkpoint (by step) that has it. */
export function groupNotes(entries: readonly CheckpointNotes[]): NoteGroup[] {
  const key = (e: CheckpointNotes) => e.step ?? Number.MAX_SAFE_INTEGER;
  const byStep = [...entries].sort((a, b) => key(a) - key(b));
  const groups = new Map<string, string[]>();
  for (const e of byStep)
    for (const note of new Set(e.notes)) {
      const names = groups.get(note);
      if (names) names.push(e.name);
      else groups.set(note, [e.name]);
    }
  return [...groups].map(([note, checkpoints]) => ({ note, checkpoints }));
}

/** The line a group is shown as: "x.pt: note" for one checkpoint, "3 checkpoints: note" for several. */
export function noteLine(group: NoteGroup): string {
  const n = group.checkpoints.length;
  return `${n === 1 ? group.checkpoints[0] : `${n} checkpoints`}: ${group.note}`;
}

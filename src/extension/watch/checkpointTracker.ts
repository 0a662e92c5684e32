// Decides when a checkpoint file seen in a folder scan is ready to analyse. A file that appears with
// content (renamed into place) is read at once, early; a file seen changing is read only once it has
// stopped changing, or once its writer announced it. An early read that fails is retried after the file
// settles and is never reported; a file that changes after an early read is read again once it settles.
// A settled read that fails is retried after the file settles again and reported only if it fails twice
// unchanged (TensorBoard: truncated = "not yet").
import { byStep, stepFromName } from '../../core/run';

export interface FileStat {
  path: string;
  size: number;
  mtimeMs: number;
}

/** A file handed out for analysis, with the step its name carries (ordering only). */
export interface ReadyFile extends FileStat {
  nameStep: number | null;
}

type State = 'waiting' | 'queued' | 'done' | 'suspect' | 'problem';

interface Entry {
  stat: FileStat;
  /** When the current size and mtime were first observed. */
  sameSince: number;
  state: State;
  /** The writer said the file is complete (trainer `checkpoint` event). */
  announced: boolean;
  /** Failed analyses of the current content. */
  failures: number;
  /** The current content was handed out before it had settled (first sight), and has not been seen settled since. */
  early: boolean;
}

const sameStat = (a: FileStat, b: FileStat) => a.size === b.size && a.mtimeMs === b.mtimeMs;

/** The engine's step order (files without a step last), on the step a file's name carries. */
export function stepOrder(files: readonly ReadyFile[]): ReadyFile[] {
  const entry = (f: ReadyFile) => ({ step: f.nameStep, mtimeMs: f.mtimeMs, name: f.path });
  return [...files].sort((a, b) => byStep(entry(a), entry(b)));
}

/** Step order with the newest moved first, so that it is shown quickly. */
export function newestFirstThenStepOrder(files: readonly ReadyFile[]): ReadyFile[] {
  const sorted = stepOrder(files);
  return sorted.length > 1 ? [sorted[sorted.length - 1], ...sorted.slice(0, -1)] : sorted;
}

export class CheckpointTracker {
  private readonly entries = new Map<string, Entry>();

  /** `settleMs`: how long a file's size and mtime must stay the same before it is analysed (a setting, read at each scan). */
  constructor(private readonly settleMs: () => number) {}

  /** A full listing of the checkpoint files at time `now`; returns those to analyse now, newest first. */
  scan(files: readonly FileStat[], now: number): ReadyFile[] {
    const seen = new Set<string>();
    const ready: ReadyFile[] = [];
    for (const stat of files) {
      seen.add(stat.path);
      if (this.observe(stat, now)) ready.push({ ...stat, nameStep: stepFromName(stat.path) });
    }
    for (const path of this.entries.keys()) if (!seen.has(path)) this.entries.delete(path);
    return newestFirstThenStepOrder(ready);
  }

  /** The writer announced `path` complete: it is ready at the next scan without waiting to settle. */
  announce(path: string): void {
    const entry = this.entries.get(path);
    if (entry) entry.announced = true;
    else
      this.entries.set(path, {
        stat: { path, size: -1, mtimeMs: -1 },
        sameSince: 0,
        state: 'waiting',
        announced: true,
        failures: 0,
        early: false,
      });
  }

  /**
   * The outcome of analysing `stat`. A failure the first time is `retry` (analysed again once the
   * file has settled again); a second failure of the same unchanged file is `problem`, and so is a `final`
   * failure (the reader knows the file is not one still being written: unsafe, a FIFO, no such format).
   * The failure of an early read does not count: it is `retry`, and the file is read again once it settles.
   */
  result(stat: FileStat, ok: boolean, now: number, final = false): 'done' | 'retry' | 'problem' {
    const entry = this.entries.get(stat.path);
    // The file changed (or went away) while it was analysed: the next scan decides again.
    if (!entry || !sameStat(entry.stat, stat)) return 'retry';
    if (ok) {
      // An early read stays early until a scan sees the file settled (or changed: then it is read again).
      entry.state = 'done';
      return 'done';
    }
    if (entry.early) {
      Object.assign(entry, { state: 'waiting', early: false });
      return 'retry';
    }
    entry.failures++;
    if (entry.failures < 2 && !final) {
      entry.state = 'suspect';
      entry.sameSince = now;
      return 'retry';
    }
    entry.state = 'problem';
    return 'problem';
  }

  /** Every analysed or in-flight file again (the settings changed), in the order `scan` uses. */
  requeueAll(): ReadyFile[] {
    const again: ReadyFile[] = [];
    for (const entry of this.entries.values()) {
      if (entry.state !== 'done' && entry.state !== 'queued') continue;
      entry.state = 'queued';
      again.push({ ...entry.stat, nameStep: stepFromName(entry.stat.path) });
    }
    return newestFirstThenStepOrder(again);
  }

  /**
   * True while some file waits to settle (to be analysed, or to confirm an early read), so another scan is
   * needed even without file events.
   */
  get hasPending(): boolean {
    for (const e of this.entries.values()) if (settling(e)) return true;
    return false;
  }

  /** When the first file that waits to settle will have settled if it stays as it is (undefined: none waits). */
  readyAt(): number | undefined {
    let at: number | undefined;
    for (const e of this.entries.values()) {
      if (!settling(e) || e.stat.size <= 0) continue;
      at = Math.min(at ?? Infinity, quietSince(e) + this.settleMs());
    }
    return at;
  }

  /** Updates one file's entry; true when it should be analysed now. */
  private observe(stat: FileStat, now: number): boolean {
    const entry = this.entries.get(stat.path);
    if (!entry) {
      const added: Entry = { stat, sameSince: now, state: 'waiting', announced: false, failures: 0, early: false };
      this.entries.set(stat.path, added);
      if (this.settled(added, now)) return true;
      // First sight with content: it appeared whole (renamed into place) or a writer is part way through.
      // Reading it now costs one read if it is a part (which fails, or is read again once it settles).
      if (stat.size <= 0) return false;
      Object.assign(added, { state: 'queued', early: true });
      return true;
    }
    if (!sameStat(entry.stat, stat)) {
      // New content: whatever was decided about the old content no longer holds. A file seen changing is
      // being written in place: it waits to settle.
      const announcedNow = entry.stat.size === -1 && entry.announced;
      Object.assign(entry, {
        stat,
        sameSince: now,
        state: 'waiting',
        announced: announcedNow,
        failures: 0,
        early: false,
      });
      return this.settled(entry, now);
    }
    if (entry.state === 'waiting' || entry.state === 'suspect') return this.settled(entry, now);
    // An early read whose file has stayed the same for the settle time is as good as a settled one.
    if (entry.early && entry.state === 'done' && now - quietSince(entry) >= this.settleMs()) entry.early = false;
    return false;
  }

  /** Marks the entry queued when it is complete enough to analyse. */
  private settled(entry: Entry, now: number): boolean {
    if (entry.stat.size <= 0) return false;
    const ready = (entry.announced && entry.state === 'waiting') || now - quietSince(entry) >= this.settleMs();
    if (ready) entry.state = 'queued';
    return ready;
  }
}

/** The file waits to settle: to be analysed, or to confirm that an early read saw its final content. */
function settling(e: Entry): boolean {
  return e.state === 'waiting' || e.state === 'suspect' || (e.early && e.state === 'done');
}

/**
 * Since when the entry's content has been quiet: since it was first seen so, or since its mtime if that is
 * earlier; after a failure, since the failure (it must settle again).
 */
function quietSince(e: Entry): number {
  return e.state === 'suspect' ? e.sameSince : Math.min(e.sameSince, e.stat.mtimeMs);
}

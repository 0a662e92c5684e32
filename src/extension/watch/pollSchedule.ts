// When a run folder is scanned next: every `pollMs` while it changes, backing off while nothing
// changes, at once when a file event arrives, and when a settling file becomes ready. Pure: the
// caller passes the time in, so tests drive it with a clock of their own.

/** The poll interval doubles after each quiet scan, up to pollMs · 2^MAX_BACKOFF_DOUBLINGS. */
export const MAX_BACKOFF_DOUBLINGS = 3;

/**
 * Events come in bursts (a trainer appends to metrics.jsonl every step): an event scans at most this soon
 * after the previous scan. Below the settle time, so a new checkpoint is not analysed any later for it.
 */
export const MIN_SCAN_GAP_MS = 250;

export interface ScanOutcome {
  /** The folder looked different from the previous scan (a file came, went, grew or was touched). */
  changed: boolean;
  /** When a file still settling becomes ready to analyse, if one is. */
  readyAt?: number;
}

export class PollSchedule {
  private quietScans = 0;
  private due: number | undefined;
  private lastScan = -Infinity;

  constructor(private readonly pollMs: () => number) {}

  /** The time of the next planned scan, if any. */
  get nextAt(): number | undefined {
    return this.due;
  }

  /** The current poll interval (after back-off). */
  get interval(): number {
    return this.pollMs() * 2 ** Math.min(this.quietScans, MAX_BACKOFF_DOUBLINGS);
  }

  /** A scan finished at `now`; returns when the next one is due. */
  scanned(now: number, outcome: ScanOutcome): number {
    this.quietScans = outcome.changed ? 0 : this.quietScans + 1;
    this.lastScan = now;
    this.due = Math.min(now + this.interval, outcome.readyAt ?? Infinity);
    return this.due;
  }

  /** A file event (or a Refresh) at `now`: scan at once (bursts coalesced), and poll at the full rate again. */
  event(now: number): number {
    this.quietScans = 0;
    const soonest = Math.max(now, this.lastScan + MIN_SCAN_GAP_MS);
    this.due = this.due !== undefined && this.due >= now ? Math.min(this.due, soonest) : soonest;
    return this.due;
  }
}

/** A fingerprint of a scan's listing, to tell whether anything changed since the previous scan. */
export function listingKey(files: readonly { path: string; size: number; mtimeMs: number }[]): string {
  return files.map((f) => `${f.path}\0${f.size}\0${f.mtimeMs}`).join('\n');
}

// When a run folder is scanned next: every `pollMs` while it changes, backing off while nothing
// changes, at once when a file event arrives (bursts coalesced), and when a settling file becomes ready.
// Pure: the caller passes the time in, so tests drive it with a clock of their own.

/** The poll interval doubles after each quiet poll, up to pollMs · 2^MAX_BACKOFF_DOUBLINGS. */
export const MAX_BACKOFF_DOUBLINGS = 3;

/**
 * Events come in bursts (a trainer appends to metrics.jsonl every step): the scans events ask for are at
 * least this far apart. A scan of the poll, or of a file settling, does not hold an event's scan back: a
 * checkpoint renamed into place just after one is still seen at once.
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
  /** When the next poll is due (scans in between, for an event or a settling file, do not move it later). */
  private pollAt = -Infinity;
  /** When the latest scan asked for by an event is (or was) due. */
  private eventScanAt = -Infinity;

  constructor(private readonly pollMs: () => number) {}

  /** The time of the next planned scan, if any. */
  get nextAt(): number | undefined {
    return this.due;
  }

  /** The current poll interval (after back-off). */
  get interval(): number {
    return this.pollMs() * 2 ** Math.min(this.quietScans, MAX_BACKOFF_DOUBLINGS);
  }

  /**
   * A scan finished at `now`; returns when the next one is due. Only a quiet poll backs off: a quiet scan
   * between polls (for an event, or a settling file) leaves the next poll where it was.
   */
  scanned(now: number, outcome: ScanOutcome): number {
    const polled = now >= this.pollAt;
    if (outcome.changed) this.quietScans = 0;
    else if (polled) this.quietScans++;
    this.pollAt = outcome.changed || polled ? now + this.interval : Math.min(this.pollAt, now + this.interval);
    this.due = Math.min(this.pollAt, outcome.readyAt ?? Infinity);
    return this.due;
  }

  /**
   * A file event (or a Refresh) at `now`: scan at once, or with the scan an earlier event asked for if that is
   * still to come, or MIN_SCAN_GAP_MS after it; and poll at the full rate again.
   */
  event(now: number): number {
    this.quietScans = 0;
    if (this.eventScanAt < now) this.eventScanAt = Math.max(now, this.eventScanAt + MIN_SCAN_GAP_MS);
    this.due = this.due !== undefined && this.due >= now ? Math.min(this.due, this.eventScanAt) : this.eventScanAt;
    return this.due;
  }
}

/** A fingerprint of a scan's listing, to tell whether anything changed since the previous scan. */
export function listingKey(files: readonly { path: string; size: number; mtimeMs: number }[]): string {
  return files.map((f) => `${f.path}\0${f.size}\0${f.mtimeMs}`).join('\n');
}

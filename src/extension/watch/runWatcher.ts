// Watches one run folder (or one checkpoint file): a cheap stat scan every pollMs (backing off while
// nothing changes), at once on a file event, and when a settling file becomes ready (or an early read
// is to be confirmed); hands out checkpoints that are ready to analyse. File events only hurry it: a
// folder created in one go, outside the workspace or on a network file system, whose events never come,
// is still followed. No vscode: events come in via `poke` and `fileEvent`.
import { Emitter } from '../events';
import { Disposable, toDisposable } from '../lifecycle';
import { CheckpointTracker, type FileStat, type ReadyFile } from './checkpointTracker';
import { listCheckpointStats, listSideFiles, type WatchTarget } from './checkpointFiles';
import { listingKey, PollSchedule } from './pollSchedule';
import { isTemporary } from '../../core/run/names';
import { basename } from 'node:path';

export interface WatchTiming {
  /** How long a checkpoint's size and mtime must stay the same before it is analysed (read each time). */
  settleMs(): number;
  /** The poll interval while the folder changes (read each time). */
  pollMs(): number;
}

export class RunWatcher extends Disposable {
  private readonly _onReady = this._register(new Emitter<ReadyFile[]>());
  /** Checkpoints to analyse, newest first then in step order. */
  readonly onReady = this._onReady.event;
  private readonly _onSideFiles = this._register(new Emitter<FileStat[]>());
  /** One of the side files (metrics.jsonl, run.json …) appeared or changed; all of them, as now. */
  readonly onSideFiles = this._onSideFiles.event;

  private readonly tracker: CheckpointTracker;
  private readonly schedule: PollSchedule;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private scanning: Promise<void> | undefined;
  private rescan = false;
  private started = false;
  private lastListing: string | undefined;
  private lastSide: string | undefined;

  /** `sideFiles`: names in the run folder whose changes are reported (folder targets only). */
  constructor(
    readonly target: WatchTarget,
    timing: WatchTiming,
    private readonly sideFiles: readonly string[] = [],
  ) {
    super();
    this.tracker = new CheckpointTracker(() => timing.settleMs());
    this.schedule = new PollSchedule(() => timing.pollMs());
    this._register(toDisposable(() => clearTimeout(this.timer)));
  }

  /** The initial scan, at once; polling goes on from there until disposed. */
  start(): Promise<void> {
    this.started = true;
    return this.scan();
  }

  /** Something in the folder changed (a file event, the writer's exit, Refresh): scan now. */
  poke(): void {
    if (this.isDisposed) return;
    this.plan(this.schedule.event(Date.now()));
  }

  /**
   * A file event for `path`: scan now, unless it is a writer's temporary file, which no scan reads (its rename
   * into place sends an event of its own, which must not wait behind a scan this one asked for).
   */
  fileEvent(path: string): void {
    if (!isTemporary(basename(path))) this.poke();
  }

  /** The writer announced a complete checkpoint at `path`. */
  announce(path: string): void {
    this.tracker.announce(path);
    this.poke();
  }

  /** Reports an analysis outcome; `problem` means the file should be shown as unreadable. */
  result(stat: FileStat, ok: boolean, final = false): 'done' | 'retry' | 'problem' {
    const outcome = this.tracker.result(stat, ok, Date.now(), final);
    if (outcome === 'retry') this.poke();
    // After an early read: look again once the file should have settled, to read it again if it changed.
    else {
      const at = this.tracker.readyAt();
      if (at !== undefined) this.plan(at);
    }
    return outcome;
  }

  /** Hands out every analysed checkpoint again (the analysis settings changed); returns how many. */
  requeueAll(): number {
    const again = this.tracker.requeueAll();
    if (again.length > 0) this._onReady.fire(again);
    return again.length;
  }

  /** Sets the one timer to `at`, unless an earlier scan is already due. */
  private plan(at: number): void {
    if (!this.started || this.isDisposed || (this.timer && this.timerAt <= at)) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.scan();
      },
      Math.max(0, at - Date.now()),
    );
  }

  private scan(): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.scanning = this.scanOnce().finally(() => {
      this.scanning = undefined;
      if (this.isDisposed) return;
      if (this.rescan) {
        this.rescan = false;
        void this.scan();
      }
    });
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    const [files, side] = await Promise.all([
      listCheckpointStats(this.target),
      listSideFiles(this.target, this.sideFiles),
    ]);
    if (this.isDisposed) return;
    const now = Date.now();
    const listing = listingKey(files);
    const sideKey = listingKey(side);
    const changed = listing !== this.lastListing || sideKey !== this.lastSide;
    this.lastListing = listing;
    const ready = this.tracker.scan(files, now);
    if (ready.length > 0) this._onReady.fire(ready);
    if (sideKey !== this.lastSide) {
      this.lastSide = sideKey;
      if (side.length > 0) this._onSideFiles.fire(side);
    }
    this.plan(this.schedule.scanned(now, { changed, readyAt: this.tracker.readyAt() }));
  }
}

// Watches one run folder (or one checkpoint file): debounced scans on file events, repeated while
// files settle, handing out checkpoints that are ready to analyse. No vscode: events come in via `poke`.
import { Emitter, type Disposable } from '../events';
import { CheckpointTracker, type FileStat, type ReadyFile } from './checkpointTracker';
import { listCheckpointStats, type WatchTarget } from './checkpointFiles';

export class RunWatcher implements Disposable {
  private readonly _onReady = new Emitter<ReadyFile[]>();
  /** Checkpoints to analyse, newest first then in step order. */
  readonly onReady = this._onReady.event;

  private readonly tracker: CheckpointTracker;
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private rescan = false;
  private disposed = false;

  /** `debounceMs`: delay after a file event before scanning, and how long a file must stay unchanged (read each time). */
  constructor(
    readonly target: WatchTarget,
    private readonly debounceMs: () => number,
  ) {
    this.tracker = new CheckpointTracker(debounceMs);
  }

  /** The initial scan, at once. */
  start(): Promise<void> {
    return this.scan();
  }

  /**
   * Something in the folder changed: scan once the debounce delay has passed since the first event
   * of a burst (not the last: a trainer that writes without pause would otherwise never be scanned).
   */
  poke(): void {
    if (this.disposed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.scan();
    }, this.debounceMs());
  }

  /** The writer announced a complete checkpoint at `path`. */
  announce(path: string): void {
    this.tracker.announce(path);
    this.poke();
  }

  /** Reports an analysis outcome; `problem` means the file should be shown as unreadable. */
  result(stat: FileStat, ok: boolean): 'done' | 'retry' | 'problem' {
    const outcome = this.tracker.result(stat, ok, Date.now());
    if (outcome === 'retry') this.poke();
    return outcome;
  }

  /** Hands out every analysed checkpoint again (the analysis settings changed). */
  requeueAll(): void {
    const again = this.tracker.requeueAll();
    if (again.length > 0) this._onReady.fire(again);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this._onReady.dispose();
  }

  private scan(): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    this.scanning = this.scanOnce().finally(() => {
      this.scanning = undefined;
      if (this.disposed) return;
      if (this.rescan) {
        this.rescan = false;
        void this.scan();
      } else if (this.tracker.hasPending) {
        // Files still settling: look again even if no further file event comes.
        this.poke();
      }
    });
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    const files = await listCheckpointStats(this.target);
    if (this.disposed) return;
    const ready = this.tracker.scan(files, Date.now());
    if (ready.length > 0) this._onReady.fire(ready);
  }
}

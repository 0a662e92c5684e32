// The sweeps this window drives (launched here, or found running after a window reload).
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Emitter } from '../events';
import { Disposable, DisposableStore, toDisposable } from '../lifecycle';
import type { RunManager } from '../run/runManager';
import type { LaunchSpec, ProcessOptions } from '../run/trainerProcess';
import { liveSweepRecord, SweepSession } from './sweepSession';

export class SweepManager extends Disposable {
  private readonly sweeps = new Map<string, { sweep: SweepSession; owned: DisposableStore }>();
  private readonly _onDidChange = this._register(new Emitter<void>());
  /** A sweep was added, or one of its points or totals changed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidAdd = this._register(new Emitter<SweepSession>());
  /** A sweep is driven from now on (for its progress notification). */
  readonly onDidAdd = this._onDidAdd.event;

  constructor(
    private readonly runs: RunManager,
    private readonly log: (line: string) => void,
    private readonly options?: Partial<ProcessOptions>,
  ) {
    super();
    this._register(
      toDisposable(() => {
        for (const { owned } of this.sweeps.values()) owned.dispose();
        this.sweeps.clear();
      }),
    );
  }

  get(folder: string | undefined): SweepSession | undefined {
    return folder === undefined ? undefined : this.sweeps.get(resolve(folder))?.sweep;
  }

  all(): SweepSession[] {
    return [...this.sweeps.values()].map((s) => s.sweep);
  }

  /** Starts the driver `spec` for the sweep folder `folder`. */
  launch(folder: string, spec: LaunchSpec): SweepSession {
    const sweep = this.add(folder);
    sweep.launch(spec);
    this._onDidAdd.fire(sweep);
    return sweep;
  }

  /** Follows the sweeps in `root` whose driver still runs. */
  async reopenLive(root: string): Promise<SweepSession[]> {
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    const found: SweepSession[] = [];
    for (const entry of entries) {
      const folder = join(root, entry.name);
      const record = entry.isDirectory() && !this.get(folder) ? liveSweepRecord(folder) : undefined;
      if (!record || this.isDisposed) continue;
      const sweep = this.add(folder);
      sweep.attach(record);
      this._onDidAdd.fire(sweep);
      found.push(sweep);
    }
    return found;
  }

  private add(folder: string): SweepSession {
    const owned = new DisposableStore();
    const sweep = owned.add(new SweepSession(folder, this.runs, this.log, this.options));
    owned.add(sweep.onDidChange(() => this._onDidChange.fire()));
    this.sweeps.set(sweep.folder, { sweep, owned });
    this._onDidChange.fire();
    return sweep;
  }
}

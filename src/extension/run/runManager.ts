// Every run the window knows about (launched, or a folder being watched), and which is current.
import { Emitter } from '../events';
import type { RunSummary } from '../../protocol/panel';
import { Disposable, DisposableStore, toDisposable } from '../lifecycle';
import { RunSession, type RunDescription, type RunEnd, type RunServices } from './runSession';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isSameProcess, readProcessRecord } from './processRecord';
import { readManifest } from './runFiles';

export class RunManager extends Disposable {
  /** Each run with what ties it to this manager (its listeners), disposed together. */
  private readonly runs = new Map<string, { run: RunSession; owned: DisposableStore }>();
  private currentId: string | undefined;
  private readonly _onDidChange = this._register(new Emitter<void>());
  /** A run was added or removed, the current run changed, or a run's status changed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidEnd = this._register(new Emitter<{ run: RunSession; end: RunEnd }>());
  /** A launched process ended (finished, failed or stopped). */
  readonly onDidEnd = this._onDidEnd.event;
  private readonly _onDidChangeRun = this._register(new Emitter<RunSession>());
  /** Anything of a run changed (a step line, a checkpoint analysed …): for views that list every run. */
  readonly onDidChangeRun = this._onDidChangeRun.event;

  constructor(private readonly services: RunServices) {
    super();
    this._register(
      toDisposable(() => {
        for (const { owned } of this.runs.values()) owned.dispose();
        this.runs.clear();
      }),
    );
  }

  get current(): RunSession | undefined {
    return this.currentId === undefined ? undefined : this.runs.get(this.currentId)?.run;
  }

  all(): RunSession[] {
    return [...this.runs.values()].map((r) => r.run);
  }

  get(id: string): RunSession | undefined {
    return this.runs.get(resolve(id))?.run;
  }

  setCurrent(run: RunSession): void {
    if (this.currentId === run.id) return;
    this.currentId = run.id;
    this._onDidChange.fire();
  }

  /** The run for this folder or file, created and scanned if it is new; it becomes current unless told not to. */
  open(description: RunDescription, { makeCurrent = true } = {}): RunSession {
    const where = 'file' in description.target ? description.target.file : description.target.folder;
    let run = this.get(where);
    if (!run) {
      const owned = new DisposableStore();
      const session = (run = owned.add(new RunSession(description, this.services)));
      this.runs.set(run.id, { run, owned });
      // Only a change of status (running → finished …), not every step line, changes the set of runs.
      let status = session.model.info.status;
      owned.add(
        session.model.onDidChange((c) => {
          this._onDidChangeRun.fire(session);
          if (c.kind !== 'status' || session.model.info.status === status) return;
          status = session.model.info.status;
          this._onDidChange.fire();
        }),
      );
      owned.add(session.onDidEnd((end) => this._onDidEnd.fire({ run: session, end })));
      void run.start();
    }
    if (makeCurrent) this.currentId = run.id;
    this._onDidChange.fire();
    return run;
  }

  /** The runs whose process is running, in the order they were opened. */
  live(): RunSession[] {
    return this.all().filter((r) => r.running);
  }

  /** The live runs with their latest figure, for the Live Metrics list and the status bar. */
  liveSummaries(): RunSummary[] {
    return this.live().map((r) => {
      const latest = r.model.latest;
      return { run: r.info, latest: latest && { layer: latest.layer, clusters: latest.point.clusters } };
    });
  }

  /** Opens the runs in `root` whose recorded process still runs (started before a window reload). */
  async reopenLive(root: string): Promise<RunSession[]> {
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    const found: RunSession[] = [];
    for (const entry of entries) {
      const folder = join(root, entry.name);
      const record = entry.isDirectory() ? await readProcessRecord(folder) : undefined;
      if (!record || record.exit || !isSameProcess(record) || this.isDisposed) continue;
      const preset = (await readManifest(folder))?.preset;
      const description = {
        name: entry.name,
        target: { folder },
        preset: typeof preset === 'string' ? preset : undefined,
      };
      found.push(this.open(description, { makeCurrent: this.current === undefined }));
    }
    return found;
  }

  /** Forgets the run: stops watching it (a process it launched trains on, as across a window reload). */
  close(run: RunSession): void {
    const entry = this.runs.get(run.id);
    if (!entry) return;
    this.runs.delete(run.id);
    if (this.currentId === run.id) this.currentId = this.runs.keys().next().value;
    entry.owned.dispose();
    this._onDidChange.fire();
  }

  /** Scans every run's folder now (Refresh). */
  refreshAll(): void {
    for (const run of this.all()) run.poke();
  }

  /** Re-analyses every run (the analysis settings changed). */
  reanalyseAll(): void {
    for (const run of this.all()) run.reanalyse();
  }
}

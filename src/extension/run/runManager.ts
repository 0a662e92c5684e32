// Every run the window knows about (launched, or a folder being watched), and which is current.
import { Emitter, type Disposable } from '../events';
import { RunSession, type RunDescription, type RunEnd, type RunServices } from './runSession';
import { resolve } from 'node:path';

export class RunManager implements Disposable {
  private readonly runs = new Map<string, RunSession>();
  private currentId: string | undefined;
  private readonly _onDidChange = new Emitter<void>();
  /** A run was added or removed, the current run changed, or a run's status changed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidEnd = new Emitter<{ run: RunSession; end: RunEnd }>();
  /** A launched process ended (finished, failed or stopped). */
  readonly onDidEnd = this._onDidEnd.event;

  constructor(private readonly services: RunServices) {}

  get current(): RunSession | undefined {
    return this.currentId === undefined ? undefined : this.runs.get(this.currentId);
  }

  all(): RunSession[] {
    return [...this.runs.values()];
  }

  get(id: string): RunSession | undefined {
    return this.runs.get(resolve(id));
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
      run = new RunSession(description, this.services);
      const session = run;
      this.runs.set(run.id, run);
      // Only a change of status (running → finished …), not every step line, changes the set of runs.
      let status = session.model.info.status;
      session.model.onDidChange((c) => {
        if (c.kind !== 'status' || session.model.info.status === status) return;
        status = session.model.info.status;
        this._onDidChange.fire();
      });
      run.onDidEnd((end) => this._onDidEnd.fire({ run: session, end }));
      void run.start();
    }
    if (makeCurrent) this.currentId = run.id;
    this._onDidChange.fire();
    return run;
  }

  /** Stops the run's process and forgets it. */
  close(run: RunSession): void {
    if (!this.runs.delete(run.id)) return;
    if (this.currentId === run.id) this.currentId = this.runs.keys().next().value;
    run.dispose();
    this._onDidChange.fire();
  }

  /** Re-analyses every run (the analysis settings changed). */
  reanalyseAll(): void {
    for (const run of this.runs.values()) run.reanalyse();
  }

  /** Stops every launched process and waits for them (window closing, deactivation). */
  async stopAll(): Promise<void> {
    await Promise.all(this.all().map((r) => r.stop()));
  }

  dispose(): void {
    for (const run of this.runs.values()) run.dispose();
    this.runs.clear();
    this._onDidChange.dispose();
    this._onDidEnd.dispose();
  }
}

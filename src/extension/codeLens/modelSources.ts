// The model source of each run, read once from its run.json and kept; links the user makes are
// written there, or kept in the workspace's state when the run folder cannot be written. No vscode.
import { resolve } from 'node:path';
import { Emitter } from '../events';
import { Disposable } from '../lifecycle';
import { readModelSource, recordModelSource } from './modelSource';

/** The part of vscode.Memento used here. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** Workspace-state key of the links kept outside read-only run folders: run folder → source file. */
const STATE_KEY = 'condensationLens.modelSources';

export class ModelSources extends Disposable {
  private readonly known = new Map<string, string | undefined>();
  private readonly _onDidChange = this._register(new Emitter<void>());
  /** A run's source became known or was linked. */
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly state: StateStore) {
    super();
  }

  /** The source file of the run in `folder`, if known yet (see `load`). */
  of(folder: string): string | undefined {
    return this.known.get(resolve(folder));
  }

  /** Reads the run's link once; fires onDidChange when it names a file. */
  load(folder: string): void {
    const id = resolve(folder);
    if (this.known.has(id)) return;
    this.known.set(id, this.kept()[id]);
    void readModelSource(id).then((source) => {
      if (source === undefined || this.known.get(id) !== undefined) return;
      this.known.set(id, source);
      this._onDidChange.fire();
    });
  }

  /**
   * Links the run in `folder` to `source`; returns where the link was kept. In an untrusted workspace nothing is
   * written into the run folder: the link stays in the workspace's state.
   */
  async link(folder: string, source: string, trusted: boolean): Promise<'run.json' | 'workspace'> {
    const id = resolve(folder);
    let where: 'run.json' | 'workspace' = 'run.json';
    try {
      if (!trusted) throw new Error('Restricted Mode: the run folder is not written');
      await recordModelSource(id, 'modelSource', source);
    } catch {
      where = 'workspace';
      await this.state.update(STATE_KEY, { ...this.kept(), [id]: source });
    }
    this.known.set(id, source);
    this._onDidChange.fire();
    return where;
  }

  private kept(): Record<string, string> {
    return this.state.get<Record<string, string>>(STATE_KEY) ?? {};
  }
}

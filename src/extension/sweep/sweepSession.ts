// One sweep driven from the editor: the `sweep` (or `phase`) command of the CLI as a detached process that
// runs the grid's trainers in its process group, so the whole sweep trains on across a window reload. Its
// JSON progress lines open each point's run folder as a run, set the runs' status, and give the totals.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../core/formats/safetensorsWriter';
import { parseSweepProgressLine, type SweepPointLine, type SweepTotalsLine } from '../../protocol/sweepProgress';
import type { RunStatus } from '../../protocol/panel';
import { Emitter } from '../events';
import { Disposable } from '../lifecycle';
import { isProcessRecord, isSameProcess, type ProcessRecord } from '../run/processRecord';
import type { RunManager } from '../run/runManager';
import { describeEnd } from '../run/runSession';
import { LOG_FOLDER, TrainerProcess, type LaunchSpec, type ProcessOptions } from '../run/trainerProcess';
import { readSweepGroup, type SweepGroup } from './sweepFolder';

/** The driver's process record, inside the sweep folder's hidden log folder. */
const RECORD_FILE = join(LOG_FOLDER, 'sweep-process.json');

export interface SweepEnd {
  status: Extract<RunStatus, 'finished' | 'failed' | 'stopped' | 'ended'>;
  message?: string;
}

/** The driver's record, if this sweep folder has one. */
export function readSweepRecord(folder: string): ProcessRecord | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(join(folder, RECORD_FILE), 'utf8'));
    return isProcessRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export class SweepSession extends Disposable {
  readonly folder: string;
  private readonly _onDidChange = this._register(new Emitter<void>());
  /** A point started or ended, or the totals moved. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidEnd = this._register(new Emitter<SweepEnd>());
  /** The driver ended (every point done, a failure, or Stop). */
  readonly onDidEnd = this._onDidEnd.event;

  private process: TrainerProcess | undefined;
  private record: ProcessRecord | undefined;
  private stopRequested = false;
  private group: Promise<SweepGroup | undefined> | undefined;
  private lines: Promise<void> = Promise.resolve();
  private _totals: SweepTotalsLine | undefined;
  private _end: SweepEnd | undefined;

  constructor(
    folder: string,
    private readonly manager: RunManager,
    private readonly log: (line: string) => void,
    private readonly options?: Partial<ProcessOptions>,
  ) {
    super();
    this.folder = resolve(folder);
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** Steps and runs done so far, from the driver's last totals line. */
  get totals(): SweepTotalsLine | undefined {
    return this._totals;
  }

  /** How the driver ended, once it has. */
  get end(): SweepEnd | undefined {
    return this._end;
  }

  /** Starts the driver; its output and record go into the sweep folder. */
  launch(spec: LaunchSpec): void {
    const proc = TrainerProcess.launch(spec, this.options, join(this.folder, LOG_FOLDER));
    this.log(`sweep started: ${[spec.command, ...spec.args].join(' ')} (pid ${proc.pid ?? '?'})`);
    const record = proc.record(spec, this.folder);
    if (record) this.saveRecord(record);
    this.follow(proc, spec);
  }

  /** Follows a driver an earlier window started (its output is read again from the start). */
  attach(record: ProcessRecord): void {
    this.record = record;
    this.log(`following sweep pid ${record.pid}: ${record.command.join(' ')}`);
    const proc = TrainerProcess.attach(record, this.folder, this.options);
    this.follow(proc, { command: record.command[0], args: record.command.slice(1), cwd: record.cwd });
  }

  /** Stops the driver and every trainer in its process group, and any run of the sweep with a process here. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    const group = await this.readGroup();
    const inSweep = new Set(group?.runs.map((r) => r.folder));
    await Promise.all([
      this.process?.stop(),
      ...this.manager
        .all()
        .filter((r) => r.running && inSweep.has(r.folder))
        .map((r) => r.stop()),
    ]);
  }

  private readGroup(): Promise<SweepGroup | undefined> {
    // sweep.json is written before the first point starts; read it again until it is there.
    this.group ??= readSweepGroup(this.folder).then((g) => {
      if (!g) this.group = undefined;
      return g;
    });
    return this.group;
  }

  private follow(proc: TrainerProcess, spec: LaunchSpec): void {
    this.process = proc;
    proc.onOutput(({ line }) => {
      const event = parseSweepProgressLine(line);
      if (!event) return this.log(line);
      // In order: a point's end must not overtake its start while sweep.json is read.
      this.lines = this.lines.then(() => (event.type === 'sweep-point' ? this.point(event) : this.moved(event)));
    });
    void proc.exited.then(async (end) => {
      await this.lines;
      if (this.isDisposed) return;
      const result = describeEnd(spec, end);
      if (this.record && !end.gone && !this.record.exit && !end.spawnError)
        this.saveRecord({ ...this.record, exit: { code: end.code, signal: end.signal, stopped: end.stopped } });
      this._end = { status: this.stopRequested || end.stopped ? 'stopped' : result.status, message: result.message };
      this.log(`sweep ${this._end.status}${result.message ? `: ${result.message}` : ''}`);
      this._onDidEnd.fire(this._end);
      this._onDidChange.fire();
    });
  }

  private moved(totals: SweepTotalsLine): void {
    this._totals = totals;
    this._onDidChange.fire();
  }

  private async point(line: SweepPointLine): Promise<void> {
    const group = await this.readGroup();
    const run = group?.runs.find((r) => r.name === line.name);
    if (!run || this.isDisposed) return;
    if (line.state === 'started') mkdirSync(run.folder, { recursive: true });
    const session = this.manager.open(
      { name: run.label, target: { folder: run.folder }, preset: group!.preset },
      { makeCurrent: false },
    );
    if (line.state === 'started') session.model.update({ status: 'running', message: undefined });
    else {
      // Whatever a trainer says as it ends on the signal of a stop asked for (finished, or killed), it was stopped.
      const status = this.stopRequested ? 'stopped' : line.state;
      session.model.update({ status, message: status === 'failed' ? line.message : undefined, step: line.step });
      session.poke();
    }
    this._onDidChange.fire();
  }

  private saveRecord(record: ProcessRecord): void {
    this.record = record;
    try {
      mkdirSync(join(this.folder, LOG_FOLDER), { recursive: true });
      writeFileAtomic(join(this.folder, RECORD_FILE), JSON.stringify(record, null, 2) + '\n');
    } catch (e) {
      this.log(`could not record the sweep's process in ${RECORD_FILE}: ${(e as Error).message}`);
    }
  }
}

/** A sweep folder whose recorded driver still runs (started before a window reload). */
export function liveSweepRecord(folder: string): ProcessRecord | undefined {
  const record = readSweepRecord(folder);
  return record && !record.exit && isSameProcess(record) ? record : undefined;
}

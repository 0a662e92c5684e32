// One run: a folder (or a lone checkpoint) being watched, optionally the process writing it,
// and the model its analysed checkpoints feed. Runs are values: there can be many.
import type { AnalysisSettings } from '../../protocol/settings';
import type { LayerDetail, PanelChoices, RunInfo, RunStatus } from '../../protocol/panel';
import type { WorkerRequest } from '../../protocol/worker';
import { AnalysisError, AnalysisQueue, Superseded } from '../analysis/analysisQueue';
import { Emitter } from '../events';
import { Disposable, toDisposable } from '../lifecycle';
import type { FileStat, ReadyFile } from '../watch/checkpointTracker';
import type { WatchTarget } from '../watch/checkpointFiles';
import { RunWatcher } from '../watch/runWatcher';
import { RunModel } from './runModel';
import { describeNoLayers } from '../../core/layers/noLayers';
import { manifestConfig } from '../../protocol/runLabels';
import { checkpointNotes } from '../../protocol/checkpointNotes';
import { manifestTotalSteps, MetricsFile, readManifest, SIDE_FILES } from './runFiles';
import { LOG_FOLDER, TrainerProcess, type LaunchSpec, type ProcessEnd, type ProcessOptions } from './trainerProcess';
import { isSameProcess, readProcessRecord, writeProcessRecord, type ProcessRecord } from './processRecord';
import { join, resolve } from 'node:path';

/**
 * Queue priorities of a run's jobs: what the user asked for (a detail, a layer on request), then each
 * checkpoint's outline and the layers its panel shows, then the rest; the newest checkpoint first.
 */
const PRIORITY = { interactive: 8, newestOutline: 7, shown: 4, outline: 3, newest: 1 };

/** What every run shares: the analysis queue, the current settings, the log. */
export interface RunServices {
  queue: AnalysisQueue;
  settings(): AnalysisSettings;
  /** How long a checkpoint must stay unchanged before it is analysed. */
  debounceMs(): number;
  /** How often a run folder is scanned while it changes (it is polled whether or not file events come). */
  pollMs(): number;
  log(line: string): void;
  process?: Partial<ProcessOptions>;
}

export interface RunDescription {
  name: string;
  target: WatchTarget;
  preset?: string;
}

/** How a launched process ended, in words for the user when it failed. */
export interface RunEnd {
  status: Extract<RunStatus, 'finished' | 'failed' | 'stopped' | 'ended'>;
  message?: string;
  lastStderr: string[];
}

export class RunSession extends Disposable {
  readonly id: string;
  readonly model: RunModel;
  readonly watcher: RunWatcher;
  private readonly _onDidEnd = this._register(new Emitter<RunEnd>());
  /** The launched process ended. */
  readonly onDidEnd = this._onDidEnd.event;

  private process: TrainerProcess | undefined;
  /** What run.json records of the process (kept there, put back if a script rewrites run.json without it). */
  private processRecord: ProcessRecord | undefined;
  private failureMessage: string | undefined;
  private finishedLine = false;
  /** The threshold or similarity its panel chose; the editor's settings for the rest. */
  private choices: PanelChoices = {};
  private baseline: ReadyFile | undefined;
  /** Step numbers for files whose name and metadata carry none, in mtime order of arrival. */
  private readonly unnumbered = new Map<string, number>();
  /** The layers its panel shows: their jobs go before the other layers'. */
  private shown = new Set<string>();
  /** Layers above analysis.maxNeurons whose clusters the user asked for: computed at every checkpoint. */
  private readonly requested = new Set<string>();
  /** The newest of the checkpoints that became ready last: its jobs go before those of older ones. */
  private newest: string | undefined;

  constructor(
    description: RunDescription,
    private readonly services: RunServices,
  ) {
    super();
    const where = 'file' in description.target ? description.target.file : description.target.folder;
    this.id = resolve(where);
    this.model = this._register(
      new RunModel({
        id: this.id,
        name: description.name,
        folder: this.id,
        status: 'watching',
        preset: description.preset,
      }),
    );
    this.watcher = this._register(
      new RunWatcher(
        description.target,
        { settleMs: () => services.debounceMs(), pollMs: () => services.pollMs() },
        SIDE_FILES,
      ),
    );
    this._register(this.watcher.onReady((files) => this.analyse(files)));
    if ('folder' in description.target) {
      const metrics = new MetricsFile(description.target.folder);
      this._register(this.watcher.onSideFiles(() => void this.readSideFiles(metrics)));
    }
    this._register(toDisposable(() => services.queue.cancel(this.id)));
  }

  get folder(): string {
    return 'folder' in this.watcher.target ? this.watcher.target.folder : this.watcher.target.file;
  }

  get info(): RunInfo {
    return this.model.info;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** Starts watching (the initial scan), following the process run.json records if an earlier window started one. */
  async start(): Promise<void> {
    if ('folder' in this.watcher.target) {
      const record = await readProcessRecord(this.folder);
      if (record && !this.process && !this.isDisposed) {
        const proc = TrainerProcess.attach(record, this.folder, this.services.process);
        const alive = isSameProcess(record);
        this.services.log(
          `${alive ? 'following' : 'reading the output of'} pid ${record.pid}: ${record.command.join(' ')}`,
        );
        this.follow(
          proc,
          { command: record.command[0], args: record.command.slice(1), cwd: record.cwd },
          record,
          alive,
        );
      }
    }
    return this.watcher.start();
  }

  /** Starts the process that writes this run's checkpoints, its output in the run folder. */
  launch(spec: LaunchSpec): TrainerProcess {
    const proc = TrainerProcess.launch(spec, this.services.process, join(this.folder, LOG_FOLDER));
    this.services.log(`started: ${[spec.command, ...spec.args].join(' ')} (pid ${proc.pid ?? '?'})`);
    const record = proc.record(spec, this.folder);
    if (record) this.saveRecord(record);
    this.follow(proc, spec, record, true);
    return proc;
  }

  private follow(proc: TrainerProcess, spec: LaunchSpec, record: ProcessRecord | undefined, alive: boolean): void {
    this.process = proc;
    this.processRecord = record;
    if (alive) this.model.update({ status: 'running', message: undefined, startedAt: record?.startedAt });
    proc.onOutput(({ line }) => this.services.log(line));
    proc.onProgress((ev) => {
      if (ev.type === 'started') this.model.update({ backend: ev.backend });
      else if (ev.type === 'step') {
        this.model.update({ step: ev.step, loss: ev.loss });
        this.model.addLoss(ev.step, ev.loss);
      } else if (ev.type === 'checkpoint') this.watcher.announce(resolve(this.folder, ev.path));
      else if (ev.type === 'finished') {
        this.finishedLine = true;
        this.model.update({ step: ev.step });
      } else this.failureMessage = ev.message;
    });
    void proc.exited.then((end) => this.ended(spec, end));
  }

  private saveRecord(record: ProcessRecord): void {
    this.processRecord = record;
    try {
      writeProcessRecord(this.folder, record);
    } catch (e) {
      this.services.log(`could not record the process in run.json: ${(e as Error).message}`);
    }
  }

  /** Stops the launched process (its whole process tree); resolves once it has exited. */
  async stop(): Promise<void> {
    await this.process?.stop();
  }

  /** A file event in the folder, or Refresh: scan it now. */
  poke(): void {
    this.watcher.poke();
  }

  /** The settings this run is analysed with: the editor's, with its panel's choices over them. */
  settings(): AnalysisSettings {
    return { ...this.services.settings(), ...this.choices };
  }

  get panelChoices(): PanelChoices {
    return this.choices;
  }

  /** Its panel chose a threshold or similarity: this run (only) is analysed again with it. */
  choose(choices: PanelChoices): void {
    const next = { ...this.choices, ...choices };
    if (next.threshold === this.choices.threshold && next.similarity === this.choices.similarity) return;
    this.choices = next;
    this.reanalyse();
  }

  /**
   * The analysis settings changed: forget the series and analyse every checkpoint again, reporting how far
   * it is; what was still queued or running of an earlier re-analysis is dropped.
   */
  reanalyse(): void {
    this.services.queue.cancel(this.id);
    this.model.reset();
    const total = this.watcher.requeueAll();
    this.model.update({ reanalysis: total > 0 ? { done: 0, total } : undefined });
  }

  /** Per-neuron detail of `layer` at `step`; a newer request for the same layer replaces a queued one. */
  detail(layer: string, step: number): Promise<LayerDetail> {
    const file = this.model.checkpointAt(step);
    if (!file) return Promise.reject(new Error(`${this.model.info.name}: no analysed checkpoint at step ${step}`));
    return this.services.queue.detail(
      file,
      { layer, settings: this.settings(), baselinePath: this.baselinePath(file.path) },
      { slot: `${this.id}\n${layer}`, priority: PRIORITY.interactive, owner: this.id },
    );
  }

  /** The layers its panel shows (selected, drawn, visible in the table): their queued jobs go first. */
  showLayers(layers: readonly string[]): void {
    this.shown = new Set(layers);
    this.services.queue.reprioritise(this.id, (request, priority) =>
      request.type === 'layer' && priority < PRIORITY.interactive ? this.layerPriority(request) : priority,
    );
  }

  /**
   * The clusters of a layer above analysis.maxNeurons, which were deferred: computed at every step the run has
   * (newest first, ahead of other work), and at every later checkpoint.
   */
  analyseOnRequest(layer: string): void {
    this.requested.add(layer);
    const deferred = this.model.series(layer).filter((p) => p.deferred);
    for (const { step } of deferred.reverse()) {
      const file = this.model.checkpointAt(step);
      if (!file) continue;
      this.analyseLayer(file, step, layer, this.settings(), PRIORITY.interactive).catch(
        (e) => e instanceof Superseded || this.services.log(`${file.path}: ${layer}: ${(e as Error).message}`),
      );
    }
  }

  private ended(spec: LaunchSpec, end: ProcessEnd): void {
    if (this.isDisposed) return;
    const result = describeEnd(spec, end, this.failureMessage, this.finishedLine);
    const record = this.processRecord;
    if (record && !end.gone && !record.exit && !end.spawnError)
      this.saveRecord({ ...record, exit: { code: end.code, signal: end.signal, stopped: end.stopped } });
    this.services.log(`${result.status}${result.message ? `: ${result.message}` : ''}`);
    this.model.update({ status: result.status, message: result.message });
    // The last checkpoint may have been written just before the exit.
    this.watcher.poke();
    this._onDidEnd.fire(result);
  }

  /** metrics.jsonl grew or run.json changed: the new records and the run's total reach the model. */
  private async readSideFiles(metrics: MetricsFile): Promise<void> {
    const [records, manifest] = await Promise.all([metrics.read(), readManifest(this.folder)]);
    if (this.isDisposed) return;
    // A script that rewrote run.json dropped the process entry a later window needs to find it again.
    if (manifest && !manifest.process && this.processRecord && this.running) this.saveRecord(this.processRecord);
    const totalSteps = manifest && manifestTotalSteps(manifest);
    if (totalSteps !== undefined && totalSteps !== this.model.info.totalSteps) this.model.update({ totalSteps });
    const startedAt = typeof manifest?.startedAt === 'string' ? Date.parse(manifest.startedAt) : NaN;
    if (this.model.info.startedAt === undefined && Number.isFinite(startedAt)) this.model.update({ startedAt });
    const config = manifest && manifestConfig(manifest);
    if (config && JSON.stringify(config) !== JSON.stringify(this.model.info.config)) this.model.update({ config });
    if (records.length > 0) this.model.addMetricRecords(records);
  }

  private baselinePath(path: string): string | undefined {
    return this.baseline && this.baseline.path !== path ? this.baseline.path : undefined;
  }

  private analyse(files: ReadyFile[]): void {
    if ('folder' in this.watcher.target) {
      // The run's first checkpoint is the reference for relativeChange.
      const before = this.baseline;
      for (const f of files) if (!this.baseline || earlier(f, this.baseline)) this.baseline = f;
      if (before && this.baseline !== before) {
        // An earlier checkpoint arrived late (copied out of order, synced from a cluster): what was
        // measured against the old reference is measured again against it.
        this.services.log(`${this.baseline!.path} comes before ${before.path}: analysing the run again against it`);
        this.reanalyse();
        return;
      }
    }
    if (files.length > 0) this.newest = files[0].path;
    for (const f of files) void this.analyseOne(f);
  }

  /** A checkpoint's outline, then each of its layers as a job of its own, so that figures arrive layer by layer. */
  private async analyseOne(file: ReadyFile): Promise<void> {
    const generation = this.model.generation;
    const settings = this.settings();
    let failure: Error | undefined;
    try {
      const priority = file.path === this.newest ? PRIORITY.newestOutline : PRIORITY.outline;
      const outline = await this.services.queue.layers(file, { settings }, { priority, owner: this.id });
      if (generation !== this.model.generation) return;
      const step = outline.step ?? file.nameStep ?? this.stepByArrival(file.path);
      const layers = outline.layers.map((l) => l.name);
      this.model.addCheckpoint(file, step, outline.loss, layers);
      this.model.setNotes(checkpointNotes(file.path, step, outline));
      // An empty result is said, not left looking like "loading".
      const noLayers = outline.noLayers && `${outline.path}: ${describeNoLayers(outline.noLayers)}`;
      if (this.model.layers.length > 0 ? this.model.info.noLayers : noLayers) this.model.update({ noLayers });
      const jobs = await Promise.allSettled(layers.map((l) => this.analyseLayer(file, step, l, settings)));
      // A superseded layer job was replaced by a newer request, which brings its figures.
      failure = jobs.flatMap((j) =>
        j.status === 'rejected' && !(j.reason instanceof Superseded) ? [j.reason] : [],
      )[0];
    } catch (e) {
      failure = e as Error;
    }
    if (generation !== this.model.generation || failure instanceof Superseded) return;
    if (!failure) {
      if (this.watcher.result(file, true) === 'done') this.reanalysed();
      return;
    }
    // A file that may still be being written is tried again once it settles; any other failure is final.
    const final = failure instanceof AnalysisError && !failure.incomplete;
    if (this.watcher.result(file, false, final) === 'problem')
      this.model.addProblem({ path: file.path, step: file.nameStep, error: failure.message });
    else this.services.log(`not readable yet, will retry: ${failure.message}`);
  }

  /** One layer of one checkpoint; a newer request for the same run, layer and checkpoint replaces it, even running. */
  private async analyseLayer(
    file: FileStat,
    step: number,
    layer: string,
    settings: AnalysisSettings,
    priority?: number,
  ): Promise<void> {
    const generation = this.model.generation;
    const request = {
      layer,
      settings,
      baselinePath: this.baselinePath(file.path),
      ...(this.requested.has(layer) ? { onRequest: true } : {}),
    };
    const summary = await this.services.queue.layer(file, request, {
      slot: `${this.id}\n${layer}\n${file.path}`,
      priority: priority ?? this.layerPriority({ path: file.path, layer }),
      owner: this.id,
    });
    if (generation === this.model.generation) this.model.addLayer(step, summary);
  }

  private layerPriority(request: Pick<Extract<WorkerRequest, { type: 'layer' }>, 'path' | 'layer'>): number {
    return (this.shown.has(request.layer) ? PRIORITY.shown : 0) + (request.path === this.newest ? PRIORITY.newest : 0);
  }

  /** One more checkpoint of a re-analysis is done. */
  private reanalysed(): void {
    const r = this.model.info.reanalysis;
    if (!r) return;
    this.model.update({ reanalysis: r.done + 1 < r.total ? { done: r.done + 1, total: r.total } : undefined });
  }

  private stepByArrival(path: string): number {
    if (!this.unnumbered.has(path)) this.unnumbered.set(path, this.unnumbered.size);
    return this.unnumbered.get(path)!;
  }
}

function earlier(a: ReadyFile, b: ReadyFile): boolean {
  const sa = a.nameStep ?? Number.MAX_SAFE_INTEGER;
  const sb = b.nameStep ?? Number.MAX_SAFE_INTEGER;
  return sa < sb || (sa === sb && a.mtimeMs < b.mtimeMs);
}

/** What a run whose process is gone without a word shows. */
export const GONE_MESSAGE =
  'the process is gone without a finished or failed line (killed, or ended while no window watched it)';

/** Turns a process end into a run status and, for a failure, one line saying why. */
export function describeEnd(spec: LaunchSpec, end: ProcessEnd, reported?: string, finished = false): RunEnd {
  const { lastStderr } = end;
  if (end.spawnError) {
    const fix = spec.setting ? `; set ${spec.setting} to the full path of the program` : '';
    return { status: 'failed', message: `could not start '${spec.command}': ${end.spawnError}${fix}`, lastStderr };
  }
  if (end.stopped) return { status: 'stopped', lastStderr };
  if (reported !== undefined) return { status: 'failed', message: reported, lastStderr };
  if (end.gone)
    return finished ? { status: 'finished', lastStderr } : { status: 'ended', message: GONE_MESSAGE, lastStderr };
  if (end.code === 0) return { status: 'finished', lastStderr };
  const how = end.signal ? `was killed by ${end.signal}` : `exited with code ${end.code}`;
  const last = lastStderr.filter((l) => l.trim() !== '').at(-1);
  return { status: 'failed', message: last ? `${how}: ${last.trim()}` : how, lastStderr };
}

// The analysis queue in front of the worker: one job at a time, higher priorities first, a newer
// job in the same slot (run + layer) replaces an older one, queued or running, and replies are cached per
// file content (path + size + mtime) and request (settings, baseline).
import type { LayerSummary } from '../../protocol/report';
import type { LayerDetail } from '../../protocol/panel';
import type { CheckpointOutline, WorkerReply, WorkerRequest } from '../../protocol/worker';
import type { FileStat } from '../watch/checkpointTracker';

/** Runs one request in the worker. */
export type Executor = (request: WorkerRequest) => Promise<WorkerReply>;

/** A queued or running job was replaced by a newer one in its slot. */
export class Superseded extends Error {
  constructor() {
    super('superseded by a newer request');
  }
}

/** The worker could not analyse a checkpoint (the message names the file and what is wrong). */
/** The worker could not analyse a file; `incomplete` when the file may still be being written (worth a retry). */
export class AnalysisError extends Error {
  constructor(
    message: string,
    readonly incomplete = false,
  ) {
    super(message);
  }
}

export interface JobOptions {
  /** Jobs in the same slot supersede each other, queued or running. */
  slot?: string;
  /** Higher runs first, in order of arrival among equals (0 unless given): what the user looks at goes first. */
  priority?: number;
  /** Who asked (a run id), so that its queued jobs can be dropped together. */
  owner?: string;
}

export interface QueueLimits {
  /** Cached checkpoint outlines and layer summaries (small). */
  reports: number;
  /** Cached layer details (each holds a heatmap of up to heatmap.maxNeurons² bytes). */
  details: number;
}

/** Outlines and summaries are a few hundred bytes each: 20 000 hold 400 checkpoints of a 48-layer model. */
export const DEFAULT_QUEUE_LIMITS: QueueLimits = { reports: 20_000, details: 16 };

interface Job {
  key: string;
  request: WorkerRequest;
  options: JobOptions;
  promise: Promise<WorkerReply>;
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
}

/** A Map used as least-recently-used cache. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

export class AnalysisQueue {
  private readonly queue: Job[] = [];
  private readonly byKey = new Map<string, Job>();
  private readonly reports: Lru<WorkerReply>;
  private readonly details: Lru<WorkerReply>;
  private running = false;
  private current: Job | undefined;
  /** Requests sent to the worker so far (cache hits and superseded jobs never reach it). */
  executed = 0;

  /** `cancelRunning` stops what the worker runs now (it then answers `cancelled`). */
  constructor(
    private readonly execute: Executor,
    limits: QueueLimits = DEFAULT_QUEUE_LIMITS,
    private readonly cancelRunning: () => void = () => undefined,
  ) {
    this.reports = new Lru(limits.reports);
    this.details = new Lru(limits.details);
  }

  async layers(
    file: FileStat,
    request: Omit<Extract<WorkerRequest, { type: 'layers' }>, 'type' | 'path'>,
    options: JobOptions = {},
  ): Promise<CheckpointOutline> {
    const reply = await this.submit(file, { type: 'layers', path: file.path, ...request }, options);
    return (reply as Extract<WorkerReply, { type: 'layers' }>).outline;
  }

  async layer(
    file: FileStat,
    request: Omit<Extract<WorkerRequest, { type: 'layer' }>, 'type' | 'path'>,
    options: JobOptions = {},
  ): Promise<LayerSummary> {
    const reply = await this.submit(file, { type: 'layer', path: file.path, ...request }, options);
    return (reply as Extract<WorkerReply, { type: 'layer' }>).summary;
  }

  async detail(
    file: FileStat,
    request: Omit<Extract<WorkerRequest, { type: 'detail' }>, 'type' | 'path'>,
    options: JobOptions = {},
  ): Promise<LayerDetail> {
    const reply = await this.submit(file, { type: 'detail', path: file.path, ...request }, options);
    return (reply as Extract<WorkerReply, { type: 'detail' }>).detail;
  }

  /** Drops the queued jobs of `owner` and stops its running one (its run was closed, or its settings changed). */
  cancel(owner: string): void {
    for (const job of this.queue.filter((j) => j.options.owner === owner)) this.drop(job, new Superseded());
    if (this.current?.options.owner === owner) this.cancelRunning();
  }

  /** Gives each queued job of `owner` the priority `priorityOf` returns for it, keeping arrival order among equals. */
  reprioritise(owner: string, priorityOf: (request: WorkerRequest, priority: number) => number): void {
    for (const job of this.queue)
      if (job.options.owner === owner)
        job.options = { ...job.options, priority: priorityOf(job.request, job.options.priority ?? 0) };
    // Array.prototype.sort is stable: equal priorities keep their order of arrival.
    this.queue.sort((a, b) => (b.options.priority ?? 0) - (a.options.priority ?? 0));
  }

  private submit(file: FileStat, request: WorkerRequest, options: JobOptions): Promise<WorkerReply> {
    const key = JSON.stringify([request, file.size, file.mtimeMs]);
    const cached = this.cacheFor(request).get(key);
    if (cached) return Promise.resolve(cached);
    const same = this.byKey.get(key);
    if (same) return same.promise;
    if (options.slot !== undefined) {
      for (const old of this.queue.filter((j) => j.options.slot === options.slot)) this.drop(old, new Superseded());
      if (this.current?.options.slot === options.slot) this.cancelRunning();
    }
    let resolve!: (r: WorkerReply) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<WorkerReply>((res, rej) => ((resolve = res), (reject = rej)));
    const job: Job = { key, request, options, promise, resolve, reject };
    const priority = options.priority ?? 0;
    const at = this.queue.findIndex((j) => (j.options.priority ?? 0) < priority);
    this.queue.splice(at === -1 ? this.queue.length : at, 0, job);
    this.byKey.set(key, job);
    void this.pump();
    return promise;
  }

  private cacheFor(request: WorkerRequest): Lru<WorkerReply> {
    return request.type === 'detail' ? this.details : this.reports;
  }

  private drop(job: Job, reason: Error): void {
    this.queue.splice(this.queue.indexOf(job), 1);
    this.byKey.delete(job.key);
    job.reject(reason);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        this.executed++;
        this.current = job;
        try {
          const reply = await this.execute(job.request);
          if (reply.type === 'error') throw new AnalysisError(reply.message, reply.incomplete === true);
          if (reply.type === 'cancelled') throw new Superseded();
          this.cacheFor(job.request).set(job.key, reply);
          job.resolve(reply);
        } catch (e) {
          job.reject(e instanceof Error ? e : new Error(String(e)));
        } finally {
          this.current = undefined;
          this.byKey.delete(job.key);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

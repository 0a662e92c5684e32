// The worker side of the analysis channel: answers each WorkerRequest with the engine's result.
import { stat } from 'node:fs/promises';
import { analyzeOpenLayer, layerDetail, outlineCheckpointFile } from '../../core/analyze';
import { Baseline } from '../../core/baseline';
import { Cancelled, type CancelCheck } from '../../core/cancel';
import { type Checkpoint, CheckpointError } from '../../core/checkpoint';
import { CoverCache } from '../../core/coverCache';
import { openEntry } from '../../core/run';
import { SharedReads } from '../../core/sharedReads';
import { MessageHandler, type Envelope } from '../../protocol/messageHandler';
import type { WorkerReply, WorkerRequest } from '../../protocol/worker';

/** Runs' first checkpoints kept open (one per run being analysed). */
const OPEN_BASELINES = 8;

/** Baselines by path, reopened when the file changed; the oldest are closed. */
class Baselines {
  private readonly open = new Map<string, { key: string; baseline: Baseline }>();

  async get(path: string | undefined, strict: boolean): Promise<Baseline | undefined> {
    if (path === undefined) return undefined;
    const s = await stat(path).catch(() => undefined);
    const key = `${s?.size}:${s?.mtimeMs}:${strict}`;
    const held = this.open.get(path);
    this.open.delete(path);
    if (held && held.key === key) {
      this.open.set(path, held);
      return held.baseline;
    }
    void held?.baseline.close();
    const baseline = new Baseline(path, { strict });
    this.open.set(path, { key, baseline });
    for (const [p, old] of this.open) {
      if (this.open.size <= OPEN_BASELINES) break;
      this.open.delete(p);
      void old.baseline.close();
    }
    return baseline;
  }
}

/** How long the checkpoint of the last layer request stays open for a request of another of its layers. */
const HOLD_MS = 2000;

interface Held {
  key: string;
  opened: Promise<Checkpoint>;
  reads?: SharedReads;
  /** Requests using it now: it is closed once released and none is left. */
  users: number;
  released: boolean;
}

/**
 * The checkpoint of the last layer request, kept open while requests for its other layers follow: its header is
 * parsed once, and a tensor shared by consecutive layers (a layer's next weight) is read once.
 */
class HeldCheckpoint {
  private held: Held | undefined;
  private timer: NodeJS.Timeout | undefined;

  async use<T>(path: string, strict: boolean, run: (ckpt: Checkpoint, reads: SharedReads) => Promise<T>): Promise<T> {
    const s = await stat(path).catch(() => undefined);
    const key = `${path}:${s?.size}:${s?.mtimeMs}:${strict}`;
    if (this.held?.key !== key) {
      this.release();
      this.held = { key, opened: openEntry(path, { strict }), users: 0, released: false };
    }
    clearTimeout(this.timer);
    const held = this.held;
    held.users++;
    try {
      const ckpt = await held.opened;
      held.reads ??= new SharedReads(ckpt);
      return await run(ckpt, held.reads);
    } catch (e) {
      // A file that failed (truncated, changed) is opened afresh by the next request.
      if (this.held === held && !(e instanceof Cancelled)) this.release();
      throw e;
    } finally {
      held.users--;
      if (held.released) close(held);
      else if (held.users === 0) this.timer = setTimeout(() => this.release(), HOLD_MS).unref();
    }
  }

  private release(): void {
    clearTimeout(this.timer);
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    held.released = true;
    close(held);
  }
}

function close(held: Held): void {
  if (held.users === 0) void held.opened.then((c) => c.close()).catch(() => undefined);
}

/** Summaries leave their covers here for the details of the same layers. */
const covers = new CoverCache();

async function answer(
  baselines: Baselines,
  held: HeldCheckpoint,
  req: WorkerRequest,
  check: CancelCheck,
): Promise<WorkerReply> {
  try {
    if (req.type === 'detail') {
      const detail = await layerDetail(req.path, req.layer, req.settings, req.baselinePath, check, covers);
      return { type: 'detail', detail };
    }
    if (req.type === 'layers') {
      const outline = await outlineCheckpointFile(req.path, req.settings);
      if (outline.error === null) return { type: 'layers', outline };
      return { type: 'error', message: outline.error, ...(outline.incomplete ? { incomplete: true } : {}) };
    }
    const baseline = await baselines.get(req.baselinePath, req.settings.strict);
    const onRequest = req.onRequest === true;
    const summary = await held.use(req.path, req.settings.strict, (ckpt, reads) =>
      analyzeOpenLayer(ckpt, reads, req.layer, req.settings, baseline, check, onRequest, covers),
    );
    return { type: 'layer', summary };
  } catch (e) {
    if (e instanceof Cancelled) return { type: 'cancelled' };
    const incomplete = e instanceof CheckpointError && e.maybeIncomplete;
    return {
      type: 'error',
      message: e instanceof Error ? e.message : String(e),
      ...(incomplete ? { incomplete } : {}),
    };
  }
}

/** The check of one request: it stops once the host moved the shared counter past the request's generation. */
function cancelCheck(counter: Int32Array | undefined, req: WorkerRequest): CancelCheck {
  return () => {
    if (counter && req.generation !== undefined && Atomics.load(counter, 0) !== req.generation) throw new Cancelled();
  };
}

type Port = {
  postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', l: (m: unknown) => void): void;
};

/** Serves requests arriving through `port` (the worker's parentPort); `counter` is the shared cancel counter. */
export function serveAnalysis(port: Port, counter?: Int32Array): void {
  const baselines = new Baselines();
  const held = new HeldCheckpoint();
  const post = (m: Envelope<WorkerReply>) => {
    // Hand the heatmap bytes over instead of copying them.
    const bytes = m.body.type === 'detail' ? m.body.detail.heatmap.values : undefined;
    const whole = bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    port.postMessage(m, whole ? [bytes.buffer as ArrayBuffer] : []);
  };
  const handler = new MessageHandler<WorkerReply, WorkerRequest>(post, (req) =>
    answer(baselines, held, req, cancelCheck(counter, req)),
  );
  port.on('message', (m) => void handler.receive(m as Envelope<WorkerRequest>));
}

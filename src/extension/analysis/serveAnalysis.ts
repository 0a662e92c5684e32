// The worker side of the analysis channel: answers each WorkerRequest with the engine's result.
import { stat } from 'node:fs/promises';
import { analyzeCheckpointFile, analyzeLayerFile, Baseline, layerDetail } from '../../core/analyze';
import { Cancelled, type CancelCheck } from '../../core/cancel';
import { CheckpointError } from '../../core/checkpoint';
import { CoverCache } from '../../core/coverCache';
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

/** Summaries leave their covers here for the details of the same layers. */
const covers = new CoverCache();

async function answer(baselines: Baselines, req: WorkerRequest, check: CancelCheck): Promise<WorkerReply> {
  try {
    if (req.type === 'detail') {
      const detail = await layerDetail(req.path, req.layer, req.settings, req.baselinePath, check, covers);
      return { type: 'detail', detail };
    }
    const baseline = await baselines.get(req.baselinePath, req.settings.strict);
    if (req.type === 'layer') {
      const summary = await analyzeLayerFile(req.path, req.layer, req.settings, baseline, check, covers);
      return { type: 'layer', summary };
    }
    const report = await analyzeCheckpointFile(req.path, req.settings, baseline, { covers });
    if (report.error === null) return { type: 'report', report };
    return { type: 'error', message: report.error, ...(report.incomplete ? { incomplete: true } : {}) };
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
  const post = (m: Envelope<WorkerReply>) => {
    // Hand the heatmap bytes over instead of copying them.
    const bytes = m.body.type === 'detail' ? m.body.detail.heatmap.values : undefined;
    const whole = bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    port.postMessage(m, whole ? [bytes.buffer as ArrayBuffer] : []);
  };
  const handler = new MessageHandler<WorkerReply, WorkerRequest>(post, (req) =>
    answer(baselines, req, cancelCheck(counter, req)),
  );
  port.on('message', (m) => void handler.receive(m as Envelope<WorkerRequest>));
}

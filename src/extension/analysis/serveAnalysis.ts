// The worker side of the analysis channel: answers each WorkerRequest with the engine's result.
import { MessageHandler, type Envelope } from '../../protocol/messageHandler';
import type { WorkerReply, WorkerRequest } from '../../protocol/worker';
import type { CheckpointReport } from '../../core/report';
import type { AnalysisSettings } from '../../core/settings';
import type { LayerDetail } from '../../protocol/panel';

/** The engine functions the worker runs (src/core/analyze). */
export interface Engine {
  analyzeCheckpointFile(path: string, settings: AnalysisSettings, baselinePath?: string): Promise<CheckpointReport>;
  layerDetail(path: string, layer: string, settings: AnalysisSettings, baselinePath?: string): Promise<LayerDetail>;
}

/** One-line message of an expected error; `maybeIncomplete` when the file may still be written. */
function describe(e: unknown): { message: string; maybeIncomplete: boolean } {
  const err = e as { message?: string; maybeIncomplete?: boolean };
  return { message: err?.message ?? String(e), maybeIncomplete: err?.maybeIncomplete === true };
}

async function answer(engine: Engine, req: WorkerRequest): Promise<WorkerReply> {
  try {
    if (req.type === 'analyze') return { type: 'report', report: await engine.analyzeCheckpointFile(req.path, req.settings, req.baselinePath) };
    return { type: 'detail', detail: await engine.layerDetail(req.path, req.layer, req.settings, req.baselinePath) };
  } catch (e) {
    return { type: 'error', ...describe(e) };
  }
}

/** Serves requests arriving through `port` (the worker's parentPort). */
export function serveAnalysis(engine: Engine, port: { postMessage(m: unknown, transfer?: ArrayBuffer[]): void; on(event: 'message', l: (m: unknown) => void): void }): void {
  const post = (m: Envelope<WorkerReply>) => {
    // Hand the heatmap bytes over instead of copying them.
    const bytes = m.body.type === 'detail' ? m.body.detail.heatmap.values : undefined;
    port.postMessage(m, bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : []);
  };
  const handler = new MessageHandler<WorkerReply, WorkerRequest>(post, (req) => answer(engine, req));
  port.on('message', (m) => void handler.receive(m as Envelope<WorkerRequest>));
}

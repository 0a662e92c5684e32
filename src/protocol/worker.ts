// Messages between the extension host and the analysis worker thread (request/reply via MessageHandler).
import type { CheckpointReport, LayerKind, LayerSummary } from './report';
import type { AnalysisSettings } from './settings';
import type { LayerDetail } from './panel';

/** A layer as a checkpoint's outline names it, before any figure is computed. */
export interface LayerOutline {
  name: string;
  kind: LayerKind;
  neurons: number;
}

/** A checkpoint's report entry with its layers named, not analysed: what the host then asks for layer by layer. */
export type CheckpointOutline = Omit<CheckpointReport, 'layers'> & { layers: LayerOutline[] };

/**
 * Host → worker: every message is a request answered by one WorkerReply. `generation` is the value of the
 * worker's shared cancel counter when the host sent it: once the counter moves on, the job stops between
 * blocks of work and answers `cancelled`.
 */
export type WorkerRequest = (
  | /** The selected layers of one checkpoint, its step and loss (header reads only). */
    { type: 'layers'; path: string; settings: AnalysisSettings }
    /**
     * The summary of one layer of one checkpoint; `baselinePath` is the run's first checkpoint. Above
     * `settings.maxNeurons` it is `deferred` unless `onRequest` (the user asked for that layer).
     */
  | {
      type: 'layer';
      path: string;
      layer: string;
      settings: AnalysisSettings;
      baselinePath?: string;
      onRequest?: boolean;
    }
  /** Per-neuron detail and heatmap of one layer of one checkpoint. */
  | { type: 'detail'; path: string; layer: string; settings: AnalysisSettings; baselinePath?: string }
) & { generation?: number };

/** Worker → host. */
export type WorkerReply =
  | { type: 'layers'; outline: CheckpointOutline }
  | { type: 'layer'; summary: LayerSummary }
  | { type: 'detail'; detail: LayerDetail }
  /** A newer request superseded this one while it ran. */
  | { type: 'cancelled' }
  /** The checkpoint could not be analysed: one line naming the file and what is wrong. */
  | { type: 'error'; message: string; incomplete?: boolean };

// Messages between the extension host and the analysis worker thread (request/reply via MessageHandler).
import type { CheckpointReport, LayerSummary } from './report';
import type { AnalysisSettings } from './settings';
import type { LayerDetail } from './panel';

/**
 * Host → worker: every message is a request answered by one WorkerReply. `generation` is the value of the
 * worker's shared cancel counter when the host sent it: once the counter moves on, the job stops between
 * blocks of work and answers `cancelled`.
 */
export type WorkerRequest = (
  | /** Analyse every layer of one checkpoint; `baselinePath` is the run's first checkpoint. */
    { type: 'analyze'; path: string; settings: AnalysisSettings; baselinePath?: string }
    /** The summary of one layer of one checkpoint. */
  | { type: 'layer'; path: string; layer: string; settings: AnalysisSettings; baselinePath?: string }
  /** Per-neuron detail and heatmap of one layer of one checkpoint. */
  | { type: 'detail'; path: string; layer: string; settings: AnalysisSettings; baselinePath?: string }
) & { generation?: number };

/** Worker → host. */
export type WorkerReply =
  | { type: 'report'; report: CheckpointReport }
  | { type: 'layer'; summary: LayerSummary }
  | { type: 'detail'; detail: LayerDetail }
  /** A newer request superseded this one while it ran. */
  | { type: 'cancelled' }
  /** The checkpoint could not be analysed: one line naming the file and what is wrong. */
  | { type: 'error'; message: string; incomplete?: boolean };

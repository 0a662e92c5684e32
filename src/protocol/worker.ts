// Messages between the extension host and the analysis worker thread (request/reply via MessageHandler).
import type { CheckpointReport } from './report';
import type { AnalysisSettings } from './settings';
import type { LayerDetail } from './panel';

/** Host → worker: every message is a request answered by one WorkerReply. */
export type WorkerRequest =
  /** Analyse every layer of one checkpoint; `baselinePath` is the run's first checkpoint. */
  | { type: 'analyze'; path: string; settings: AnalysisSettings; baselinePath?: string }
  /** Per-neuron detail and heatmap of one layer of one checkpoint. */
  | { type: 'detail'; path: string; layer: string; settings: AnalysisSettings; baselinePath?: string };

/** Worker → host. */
export type WorkerReply =
  | { type: 'report'; report: CheckpointReport }
  | { type: 'detail'; detail: LayerDetail }
  /** The checkpoint could not be analysed: one line naming the file and what is wrong. */
  | { type: 'error'; message: string; incomplete?: boolean };

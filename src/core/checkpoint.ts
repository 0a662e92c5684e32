// The reader contract every checkpoint format implements (see docs/formats.md).
import { displayText, escapeText, MAX_LINE_CHARS } from '../protocol/displayText';

export type Dtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL' | 'OTHER';

export type CheckpointFormat = 'safetensors' | 'pytorch' | 'numpy' | 'tfjs';

/** One tensor as listed by a checkpoint, before any data is read. */
export interface TensorInfo {
  /** Name as stored, e.g. `fc1.weight`, `dense_1/kernel`. */
  readonly name: string;
  readonly dtype: Dtype;
  /**
   * Shape in PyTorch (neuron-major) convention: Keras kernels `[D_in, N]` / `[k..., C_in, N]`
   * are reported as `[N, D_in]` / `[N, C_in, k...]` and transposed by `read`.
   */
  readonly shape: readonly number[];
}

/** An opened checkpoint. Readers are lazy: listing tensors reads headers only. */
export interface Checkpoint {
  readonly path: string;
  readonly format: CheckpointFormat;
  /** Every tensor in checkpoint order (integer ones included; layer discovery skips them). */
  readonly tensors: readonly TensorInfo[];
  /** String metadata (safetensors `__metadata__`, scalar entries of a PyTorch dict, …). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Step from the file's own metadata (`step`, `global_step`, then `epoch`), if it has one. */
  readonly step?: number;
  /** Warnings about what was read, one line each (e.g. the Python objects a pickle named but did not run). */
  readonly notes?: readonly string[];
  /** Reads one float tensor as float32, neuron-major; throws CheckpointError for integer tensors. */
  read(name: string): Promise<Float32Array>;
  close(): Promise<void>;
}

/** An expected, user-facing problem with a file: printed as one line, never with a stack. */
export class CheckpointError extends Error {
  /** What is wrong, escaped for display (no control characters or escape sequences, capped). */
  readonly reason: string;
  constructor(
    readonly file: string,
    reason: string,
    /** True when the file may still be being written (truncated): the watcher retries it. */
    readonly maybeIncomplete = false,
  ) {
    const shown = displayText(reason, MAX_LINE_CHARS);
    super(`${escapeText(file)}: ${shown}`);
    this.reason = shown;
    this.name = 'CheckpointError';
  }
}

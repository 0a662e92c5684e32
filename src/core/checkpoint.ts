// The reader contract every checkpoint format implements (see docs/formats.md).
import { displayText, escapeText, MAX_LINE_CHARS } from '../protocol/displayText';

export type Dtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL' | 'OTHER';

export type CheckpointFormat = 'safetensors' | 'pytorch' | 'numpy' | 'tfjs';

/** One tensor as listed by a checkpoint, before any data is read. */
export interface TensorInfo {
  /** Name as stored, e.g. `fc1.weight`, `dense_1/kernel`. */
  readonly name: string;
  readonly dtype: Dtype;
  /** Shape as stored (a Keras kernel stays `[D_in, N]` / `[k..., C_in, N]`; layer discovery's views transpose it). */
  readonly shape: readonly number[];
  /** The layer it is the weight of, when the file says so rather than its name (a TF.js graph model's ops). */
  readonly layer?: {
    readonly name: string;
    readonly bias?: string;
    /** How the layer's op reads it: `keras` (`[in, out]`, HWIO), `depthwise` (`[k, k, C, M]`); absent: neuron-major. */
    readonly layout?: 'keras' | 'depthwise';
    /** The layer its output feeds, from the file's graph (null: none); absent: the file does not say. */
    readonly next?: string | null;
    /** Its output reaches `next` through a reshape: a flatten of channels-last (NHWC) features. */
    readonly flattened?: boolean;
  };
}

/** Rows `[start, start + count)` of a tensor's first axis. */
export type RowSpan = readonly [start: number, count: number];

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
  /** The files it was read from, when more than one (shards, a TF.js model and its weights). */
  readonly files?: readonly string[];
  /**
   * Reads one float tensor as float32, in C order of its listed shape, or only `rows` of its first axis (a layer's
   * rows a block at a time: only their bytes are read); throws CheckpointError for integer tensors.
   */
  read(name: string, rows?: RowSpan): Promise<Float32Array>;
  close(): Promise<void>;
}

/**
 * One checkpoint of a run: a file, a shard index with its shards, a TF.js model with its weights, or a
 * folder such as Hugging Face's `checkpoint-N/`. Its size and mtime cover all its files, so it counts
 * as written only once every one of them stopped changing.
 */
export interface CheckpointEntry {
  /** What `open` reads: the file, the shard index or the model.json (in a checkpoint folder, its weights). */
  readonly path: string;
  /** The folder that is this checkpoint (Hugging Face `checkpoint-N/`, a TF.js model folder), when it is one. */
  readonly folder?: string;
  /** Relative to the run folder, for display and reports. */
  readonly name: string;
  /** Every file that belongs to it (weights, shards, and a folder's side files). */
  readonly files: readonly string[];
  /** From metadata read while listing (trainer_state.json) or a step-like name; null when unknown. */
  step: number | null;
  /** Total bytes and latest modification time over `files`. */
  readonly size: number;
  readonly mtimeMs: number;
  /** Opens it as one checkpoint, whatever number of files it spans. */
  open(): Promise<Checkpoint>;
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

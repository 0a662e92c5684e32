// Both cores on one layer: the rows of a matrix are split between this thread and a kernel worker thread, each
// holding its half on TF.js, and every product is computed half here, half there at the same time. The interface
// stays synchronous: this thread waits on shared memory for the worker's half (Atomics.wait).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { engineBackend } from '../backend';
import { blocksOf, type Kernels, type Mat, type MatBuilder, uploadAll } from './kernels';
import { blockRows, leftProducts, rowsOf as localRows, TfMat, tfKernels } from './tfKernels';

/** This thread → the kernel worker. Ops with `flag` answer by writing `out` and setting the flag (1 done, 2 failed). */
export type KernelRequest =
  | { op: 'create'; id: number; cols: number }
  | { op: 'append'; id: number; data: Float32Array; rows: number; flag: Int32Array }
  | { op: 'release'; id: number }
  | { op: 'rows'; id: number; index: Int32Array; out: Float32Array; at: Int32Array; flag: Int32Array }
  | { op: 'products'; id: number; left: Float32Array; k: number; cols: Int32Array; out: Float32Array; flag: Int32Array }
  | { op: 'gramTimes'; id: number; v: Float32Array; weights?: Float32Array; out: Float32Array; flag: Int32Array }
  | { op: 'times'; id: number; v: Float32Array; out: Float32Array; flag: Int32Array };

export const DONE = 1;
export const FAILED = 2;

class PoolMat implements Mat {
  constructor(
    readonly rows: number,
    readonly cols: number,
    /** Rows `[0, split)` live here, `[split, rows)` in the worker. */
    readonly split: number,
    readonly local: TfMat,
    readonly id: number,
  ) {}
}

const asPool = (m: Mat) => m as PoolMat;

/** `n` values in memory both threads see, in one buffer reused by every call (calls never overlap), grown when needed. */
function sharedFloats(): (n: number) => Float32Array {
  let buffer = new SharedArrayBuffer(4);
  return (n) => {
    if (buffer.byteLength < 4 * n) buffer = new SharedArrayBuffer(4 * n);
    return new Float32Array(buffer, 0, n);
  };
}

/** The worker's answers. */
const answers = sharedFloats();
/** Rows both threads write their part of (the left side of the products), and blocks on their way to the worker. */
const rowBuffer = sharedFloats();
/** [0]: the answer's flag; [1]: 1 once the worker stopped (it sets both as it exits, so no wait outlives it). */
const answerFlag = new Int32Array(new SharedArrayBuffer(8));

/** The flag the worker sets once it answered, cleared. */
function cleared(): Int32Array {
  if (Atomics.load(answerFlag, 1) === 1) throw new Error('the kernel worker thread stopped');
  Atomics.store(answerFlag, 0, 0);
  return answerFlag;
}

/** `n` shared values for the worker's answer and the flag it sets once written, cleared. */
function shared(n: number) {
  return { out: answers(n), flag: cleared() };
}

/** Of `index`: the rows held here (`[0, split)`) and those held there (from `split`, as the worker numbers them), each with their positions in `index`. */
function halves(index: Int32Array, split: number) {
  const [here, hereAt, there, thereAt]: number[][] = [[], [], [], []];
  index.forEach((row, t) => {
    if (row < split) {
      here.push(row);
      hereAt.push(t);
    } else {
      there.push(row - split);
      thereAt.push(t);
    }
  });
  const ints = (a: number[]) => Int32Array.from(a);
  return { here: ints(here), hereAt: ints(hereAt), there: ints(there), thereAt: ints(thereAt) };
}

/** Blocks until the worker set `flag`; its failure is thrown here. */
function wait(flag: Int32Array): void {
  while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0);
  if (Atomics.load(flag, 0) === FAILED) throw new Error('the kernel worker thread failed (its error is on stderr)');
}

function poolKernelsOf(worker: Worker): Kernels {
  let nextId = 0;
  const post = (m: KernelRequest) => worker.postMessage(m);
  /** Rows `index` of `p` into the shared row buffer, each half writing its own rows there (no copy of the layer is kept). */
  const sharedRows = (p: PoolMat, index: Int32Array): Float32Array => {
    const out = rowBuffer(index.length * p.cols);
    const { here, hereAt, there, thereAt } = halves(index, p.split);
    const flag = cleared();
    if (there.length > 0) post({ op: 'rows', id: p.id, index: there, out, at: thereAt, flag });
    if (here.length > 0) localRows(p.local, here, out, hereAt);
    if (there.length > 0) wait(flag);
    return out;
  };
  /**
   * Rows `[0, split)` here, `[split, rows)` there, in blocks of the same size on both sides: a block for the worker
   * is handed over (not copied) and appended there before the next one comes.
   */
  const build = (rows: number, cols: number): MatBuilder => {
    const split = Math.ceil(rows / 2);
    const id = nextId++;
    post({ op: 'create', id, cols });
    const local = new TfMat(cols);
    const step = blockRows(cols);
    return {
      blocks: [...blocksOf(0, split, step), ...blocksOf(split, rows, step)],
      copies: true,
      append(data) {
        const count = data.length / cols;
        if (local.rows < split) return local.append(data, count);
        // Through the shared buffer (the worker copies it onto its heap before it answers): nothing is left to collect.
        const block = rowBuffer(data.length);
        block.set(data);
        const flag = cleared();
        post({ op: 'append', id, data: block, rows: count, flag });
        wait(flag);
      },
      done: () => new PoolMat(rows, cols, split, local, id),
    };
  };
  return {
    name: 'tfjs, two threads',
    upload: (data, rows, cols) => uploadAll(build(rows, cols), data, cols),
    build,
    rows: (m, index) => sharedRows(asPool(m), index).slice(),
    rowProducts(m, index, cols, into) {
      const p = asPool(m);
      const all = cols ?? Int32Array.from({ length: p.rows }, (_, j) => j);
      const [k, n] = [index.length, all.length];
      const out = into?.subarray(0, k * n) ?? new Float32Array(k * n);
      // The left rows are read by both threads where they were written: they are not copied to the worker.
      const left = sharedRows(p, index);
      const { here, hereAt, there, thereAt } = halves(all, p.split);
      const remote = shared(k * there.length);
      post({ op: 'products', id: p.id, left, k, cols: there, ...remote });
      if (here.length > 0) leftProducts(left, k, p.local, here, { out, stride: n, at: hereAt });
      wait(remote.flag);
      for (let r = 0; r < k; r++)
        for (let t = 0; t < there.length; t++) out[r * n + thereAt[t]] = remote.out[r * there.length + t];
      return out;
    },
    gramTimes(m, v, weights) {
      const p = asPool(m);
      const remote = shared(p.cols);
      post({ op: 'gramTimes', id: p.id, v, weights: weights?.slice(p.split), ...remote });
      const near = tfKernels.gramTimes(p.local, v, weights?.subarray(0, p.split));
      wait(remote.flag);
      return near.map((x, c) => x + remote.out[c]);
    },
    times(m, v) {
      const p = asPool(m);
      const remote = shared(p.rows - p.split);
      post({ op: 'times', id: p.id, v, ...remote });
      const out = new Float32Array(p.rows);
      out.set(tfKernels.times(p.local, v));
      wait(remote.flag);
      out.set(remote.out.subarray(0, p.rows - p.split), p.split);
      return out;
    },
    release(m) {
      const p = asPool(m);
      tfKernels.release(p.local);
      post({ op: 'release', id: p.id });
    },
  };
}

/** The worker's script: the bundle beside this one, or the TypeScript source when run from sources (tests). */
function workerScript(): { file: string; execArgv: string[] } | undefined {
  const bundled = join(__dirname, 'kernelWorker.js');
  if (existsSync(bundled)) return { file: bundled, execArgv: [] };
  const source = join(__dirname, 'kernelWorker.ts');
  return existsSync(source) ? { file: source, execArgv: ['--require', 'tsx/cjs'] } : undefined;
}

let pool: Promise<Kernels> | undefined;

/**
 * The two-thread kernels, their worker started on first use and kept for the process (it does not keep the process
 * alive); plain TF.js kernels on one core or where the worker's script is not found.
 */
export function poolKernels(): Promise<Kernels> {
  pool ??= (async () => {
    await engineBackend();
    const script = workerScript();
    if (availableParallelism() < 2 || !script) return tfKernels;
    const worker = new Worker(script.file, { execArgv: script.execArgv, workerData: { flag: answerFlag } });
    worker.unref();
    // The worker says ready once its backend is up; a worker that cannot start leaves the work on this thread.
    const ready = await new Promise<boolean>((resolve) => {
      worker.once('message', () => resolve(true));
      worker.once('error', () => resolve(false));
      worker.once('exit', () => resolve(false));
    });
    return ready ? poolKernelsOf(worker) : tfKernels;
  })();
  return pool;
}

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
  | { op: 'rows'; id: number; index: Int32Array; out: Float32Array; flag: Int32Array }
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

/** The worker's answers land here: one buffer reused by every call (calls never overlap), grown when needed. */
let answerBuffer = new SharedArrayBuffer(4);
/** [0]: the answer's flag; [1]: 1 once the worker stopped (it sets both as it exits, so no wait outlives it). */
const answerFlag = new Int32Array(new SharedArrayBuffer(8));

/** `n` shared values for the worker's answer and the flag it sets once written, cleared. */
function shared(n: number) {
  if (Atomics.load(answerFlag, 1) === 1) throw new Error('the kernel worker thread stopped');
  if (answerBuffer.byteLength < 4 * n) answerBuffer = new SharedArrayBuffer(4 * n);
  Atomics.store(answerFlag, 0, 0);
  return { out: new Float32Array(answerBuffer, 0, n), flag: answerFlag };
}

/** Blocks until the worker set `flag`; its failure is thrown here. */
function wait(flag: Int32Array): void {
  while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0);
  if (Atomics.load(flag, 0) === FAILED) throw new Error('the kernel worker thread failed (its error is on stderr)');
}

function poolKernelsOf(worker: Worker): Kernels {
  let nextId = 0;
  const post = (m: KernelRequest, transfer: ArrayBuffer[] = []) => worker.postMessage(m, transfer);
  /** Rows `index` of `p` (no copy of the layer is kept in this thread's memory: each half gives its own). */
  const rowsOf = (p: PoolMat, index: Int32Array): Float32Array => {
    const there = index.filter((row) => row >= p.split).map((row) => row - p.split);
    const remote = shared(there.length * p.cols);
    if (there.length > 0) post({ op: 'rows', id: p.id, index: there, ...remote });
    const here = index.filter((row) => row < p.split);
    const near = here.length > 0 ? localRows(p.local, here) : new Float32Array(0);
    if (there.length > 0) wait(remote.flag);
    const out = new Float32Array(index.length * p.cols);
    let a = 0;
    let b = 0;
    index.forEach((row, r) => {
      const from = row < p.split ? near.subarray(a++ * p.cols) : remote.out.subarray(b++ * p.cols);
      out.set(from.subarray(0, p.cols), r * p.cols);
    });
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
      append(data) {
        const count = data.length / cols;
        if (local.rows < split) return local.append(data, count);
        const remote = shared(0);
        const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
        post({ op: 'append', id, data: own, rows: count, flag: remote.flag }, [own.buffer as ArrayBuffer]);
        wait(remote.flag);
      },
      done: () => new PoolMat(rows, cols, split, local, id),
    };
  };
  return {
    name: 'tfjs, two threads',
    upload: (data, rows, cols) => uploadAll(build(rows, cols), data, cols),
    build,
    rows: (m, index) => rowsOf(asPool(m), index),
    rowProducts(m, index, cols) {
      const p = asPool(m);
      const all = cols ?? Int32Array.from({ length: p.rows }, (_, j) => j);
      const k = index.length;
      const left = rowsOf(p, index);
      const here = all.filter((j) => j < p.split);
      const there = all.filter((j) => j >= p.split).map((j) => j - p.split);
      const remote = shared(k * there.length);
      post({ op: 'products', id: p.id, left, k, cols: there, ...remote });
      const near = here.length > 0 ? leftProducts(left, k, p.local, here) : new Float32Array(0);
      wait(remote.flag);
      const out = new Float32Array(k * all.length);
      for (let r = 0; r < k; r++) {
        let a = 0;
        let b = 0;
        for (let j = 0; j < all.length; j++)
          out[r * all.length + j] = all[j] < p.split ? near[r * here.length + a++] : remote.out[r * there.length + b++];
      }
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

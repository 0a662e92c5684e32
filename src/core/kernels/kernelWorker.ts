// Entry of dist/kernelWorker.js: the worker half of the two-thread kernels (poolKernels.ts). It holds the rows given
// to it on TF.js and answers each product into the shared memory the other thread waits on.
import { parentPort, workerData } from 'node:worker_threads';
import { engineBackend } from '../backend';
import { DONE, FAILED, type KernelRequest } from './poolKernels';
import { leftProducts, rowsOf, TfMat, tfKernels } from './tfKernels';

if (!parentPort) throw new Error('kernelWorker.js runs as a worker thread of the engine');
const port = parentPort;
const mats = new Map<number, TfMat>();

// However this thread ends, the other one must not wait for it: the answer fails and the pool is marked stopped.
process.on('exit', () => {
  const flag = (workerData as { flag: Int32Array }).flag;
  Atomics.store(flag, 1, 1);
  Atomics.store(flag, 0, FAILED);
  Atomics.notify(flag, 0);
});

function answer(m: KernelRequest): void {
  if (m.op === 'create') return void mats.set(m.id, new TfMat(m.cols));
  const mat = mats.get(m.id);
  if (!mat) throw new Error(`kernel worker: no matrix ${m.id}`);
  if (m.op === 'release') {
    mats.delete(m.id);
    return tfKernels.release(mat);
  }
  if (m.op === 'append') mat.append(m.data, m.rows);
  else if (m.op === 'rows') rowsOf(mat, m.index, m.out, m.at);
  else if (m.op === 'products') leftProducts(m.left, m.k, mat, m.cols, { out: m.out, stride: m.cols.length });
  else if (m.op === 'gramTimes') m.out.set(tfKernels.gramTimes(mat, m.v, m.weights));
  else m.out.set(tfKernels.times(mat, m.v));
  Atomics.store(m.flag, 0, DONE);
  Atomics.notify(m.flag, 0);
}

void engineBackend().then(() => {
  port.on('message', (m: KernelRequest) => {
    try {
      answer(m);
    } catch (e) {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      if ('flag' in m) {
        Atomics.store(m.flag, 0, FAILED);
        Atomics.notify(m.flag, 0);
      }
    }
  });
  port.postMessage('ready');
});

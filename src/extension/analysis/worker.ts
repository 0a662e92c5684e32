// Entry of dist/analysisWorker.js: the engine in a worker thread, so the host's main thread never does the math.
import { parentPort, workerData } from 'node:worker_threads';
import { serveAnalysis } from './serveAnalysis';

if (!parentPort) throw new Error('analysisWorker.js runs as a worker thread of the extension host');
serveAnalysis(parentPort, new Int32Array((workerData as { cancel: SharedArrayBuffer }).cancel));

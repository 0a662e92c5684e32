// The host end of the analysis worker thread: started on first use, restarted if it dies.
import { Worker } from 'node:worker_threads';
import { MessageHandler, type Envelope } from '../../protocol/messageHandler';
import type { WorkerReply, WorkerRequest } from '../../protocol/worker';
import { Disposable, toDisposable } from '../lifecycle';

export class AnalysisWorker extends Disposable {
  private worker: Worker | undefined;
  private handler: MessageHandler<WorkerRequest, WorkerReply> | undefined;
  /** The running worker's cancel counter (shared memory: the worker reads it between blocks of work). */
  private counter = new Int32Array(new SharedArrayBuffer(4));

  /** `script`: the bundled worker, dist/analysisWorker.js. */
  constructor(private readonly script: string) {
    super();
    this._register(toDisposable(() => this.stop()));
  }

  readonly execute = (request: WorkerRequest): Promise<WorkerReply> => {
    const channel = this.channel();
    return channel.request({ ...request, generation: Atomics.load(this.counter, 0) });
  };

  /** Stops the requests sent so far between their blocks of work (they answer `cancelled`). */
  readonly cancelRunning = (): void => void Atomics.add(this.counter, 0, 1);

  private stop(): void {
    this.handler?.dispose('the analysis worker was stopped');
    void this.worker?.terminate();
    this.worker = undefined;
    this.handler = undefined;
  }

  private channel(): MessageHandler<WorkerRequest, WorkerReply> {
    if (this.handler) return this.handler;
    if (this.isDisposed) throw new Error('the analysis worker was stopped');
    this.counter = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(this.script, { workerData: { cancel: this.counter.buffer } });
    const handler = new MessageHandler<WorkerRequest, WorkerReply>(
      (m) => worker.postMessage(m),
      () => undefined,
    );
    worker.on('message', (m: Envelope<WorkerReply>) => void handler.receive(m));
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.handler = undefined;
      handler.dispose(`the analysis worker stopped (${why}); the next analysis starts a new one`);
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    this.handler = handler;
    return handler;
  }
}

/** One Python worker thread seen from the main thread: start it, run one program at a time, stop it. */
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RunOutcome, WorkerMessage, WorkerSettings } from './messages.ts';

/** `worker.ts` next to this file when run from source, `worker.js` in the built package. */
const WORKER_URL = new URL(`./worker${extname(import.meta.url)}`, import.meta.url);

/** How one run ended, as far as the thread is concerned. */
export type Reply =
  | ({ type: 'result' } & RunOutcome)
  /** The interpreter broke (the worker stays up but is useless). */
  | { type: 'fatal'; message: string }
  /** The thread died: out of JS heap, terminated, or crashed. */
  | { type: 'gone'; message: string; outOfMemory: boolean };

export interface WorkerOptions extends Omit<WorkerSettings, 'interrupt'> {
  /** V8 heap limit of the thread (the JS side; the Python heap is `memoryLimitBytes`). */
  heapLimitMb: number;
  startTimeoutMs: number;
}

export class WorkerHandle {
  /** Resolves with the interpreter's load time in ms; rejects if it cannot start. */
  readonly ready: Promise<number>;
  runs = 0;
  private readonly worker: Worker;
  private readonly interruptSlot: Int32Array;
  private waiting: ((reply: Reply) => void) | undefined;
  private goneReply: Extract<Reply, { type: 'gone' }> | undefined;
  private nextId = 0;

  constructor(options: WorkerOptions) {
    const interrupt = new SharedArrayBuffer(4);
    this.interruptSlot = new Int32Array(interrupt);
    const settings: WorkerSettings = {
      memoryLimitBytes: options.memoryLimitBytes,
      outputLimitChars: options.outputLimitChars,
      interrupt,
    };
    this.worker = new Worker(WORKER_URL, {
      workerData: settings,
      env: {}, // not the server's environment (API keys live there)
      stdin: false,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: options.heapLimitMb, maxYoungGenerationSizeMb: 32 },
    });
    // Pyodide writes diagnostics to the console; keep them out of the server's output.
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.worker.unref();
    this.ready = this.waitUntilReady(options.startTimeoutMs);
    this.ready.catch(() => {}); // observed by callers; never an unhandled rejection
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') return;
      this.settle(message);
    });
    this.worker.on('error', (error: Error & { code?: string }) => {
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.markGone({ type: 'gone', message: error.message, outOfMemory });
    });
    this.worker.on('exit', (code) => {
      this.markGone({ type: 'gone', message: `the Python worker exited (code ${code})`, outOfMemory: false });
    });
  }

  get alive(): boolean {
    return this.goneReply === undefined;
  }

  /** Runs one program. Never rejects: every ending is a `Reply`. One at a time (the caller queues). */
  run(code: string): Promise<Reply> {
    if (this.goneReply) return Promise.resolve(this.goneReply);
    if (this.waiting) throw new Error('WorkerHandle.run: a program is already running');
    this.runs++;
    this.worker.ref(); // a running program keeps the process alive; an idle worker does not
    return new Promise<Reply>((resolve) => {
      this.waiting = resolve;
      this.worker.postMessage({ type: 'run', id: this.nextId++, code });
    });
  }

  /** Asks Python to stop (KeyboardInterrupt at its next bytecode); C code that never returns ignores it. */
  interrupt(): void {
    Atomics.store(this.interruptSlot, 0, 2);
  }

  async terminate(): Promise<void> {
    this.markGone({ type: 'gone', message: 'the Python worker was stopped', outOfMemory: false });
    await this.worker.terminate();
  }

  private waitUntilReady(timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the Python sandbox did not start within ${timeoutMs} ms`));
        void this.terminate();
      }, timeoutMs);
      timer.unref();
      const onMessage = (message: WorkerMessage): void => {
        if (message.type === 'ready') resolve(message.loadMs);
        else if (message.type === 'fatal') reject(new Error(message.message));
        else return;
        clear();
      };
      const onGone = (error?: Error): void => {
        reject(error ?? new Error('the Python worker exited while starting'));
        clear();
      };
      const onExit = (): void => onGone();
      const clear = (): void => {
        clearTimeout(timer);
        this.worker.off('message', onMessage);
        this.worker.off('error', onGone);
        this.worker.off('exit', onExit);
      };
      this.worker.on('message', onMessage);
      this.worker.on('error', onGone);
      this.worker.on('exit', onExit);
    });
  }

  private markGone(reply: Extract<Reply, { type: 'gone' }>): void {
    this.goneReply ??= reply;
    this.settle(this.goneReply);
  }

  private settle(reply: Reply): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    this.worker.unref();
    waiting?.(reply);
  }
}

/**
 * A warm Python interpreter in a worker thread, running programs one at a time (a queue), with a time limit
 * (soft interrupt, then the worker is terminated) and a memory limit. A broken, killed or bloated worker is
 * replaced at once, so the next program gets a fresh warm one.
 */
import PQueue from 'p-queue';
import { type Reply, WorkerHandle } from './worker-handle.ts';

export interface CodeLimits {
  /** Wall-clock time one program may run. Default 30 000 ms (Gemini's own limit is 30 s). */
  timeoutMs?: number;
  /** Python's (WebAssembly) memory limit. Default 512 MiB. */
  memoryLimitMb?: number;
  /** The worker thread's JavaScript heap limit. Default 256 MiB. */
  heapLimitMb?: number;
  /** Characters kept from stdout, and from stderr, per program. Default 64 000. */
  outputLimitChars?: number;
  /** After this many programs the worker is replaced (bounds what one program can leave for later ones). Default 100. */
  maxRunsPerWorker?: number;
  /** Time the interpreter may take to start. Default 60 000 ms. */
  startTimeoutMs?: number;
  /** After the time limit, how long an interrupted program has to stop before its worker is killed. Default 1 000 ms. */
  graceMs?: number;
}

export interface ExecutionResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** `repr()` of the last expression's value, when not None. */
  value?: string;
  /** The traceback, or which limit stopped the program. */
  error?: string;
  /** Set when a limit (not the program's own bug) stopped it. */
  limit?: 'time' | 'memory';
  cancelled?: boolean;
  truncated: boolean;
  durationMs: number;
}

type Resolved = Required<CodeLimits>;
type StopReason = 'time' | 'cancelled';

const MIB = 1024 * 1024;

export function resolveLimits(limits: CodeLimits = {}): Resolved {
  return {
    timeoutMs: limits.timeoutMs ?? 30_000,
    memoryLimitMb: limits.memoryLimitMb ?? 512,
    heapLimitMb: limits.heapLimitMb ?? 256,
    outputLimitChars: limits.outputLimitChars ?? 64_000,
    maxRunsPerWorker: limits.maxRunsPerWorker ?? 100,
    startTimeoutMs: limits.startTimeoutMs ?? 60_000,
    graceMs: limits.graceMs ?? 1_000,
  };
}

export class PythonSandbox {
  readonly limits: Resolved;
  private readonly queue = new PQueue({ concurrency: 1 });
  private current: WorkerHandle | undefined;
  private closed = false;

  constructor(limits: CodeLimits = {}) {
    this.limits = resolveLimits(limits);
  }

  /** Programs queued or running. */
  get pending(): number {
    return this.queue.size + this.queue.pending;
  }

  /** Starts the interpreter now, so the first program does not wait for it (~2 s). */
  async warm(): Promise<void> {
    await this.worker().ready;
  }

  /** Runs one program after the ones already queued. Never rejects: failures are results with `ok: false`. */
  run(code: string, signal?: AbortSignal): Promise<ExecutionResult> {
    if (this.closed) return Promise.resolve(failure('the code sandbox is closed', 0));
    return this.queue.add(() => this.runNow(code, signal));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.clear();
    const current = this.current;
    this.current = undefined;
    await current?.terminate();
  }

  private async runNow(code: string, signal: AbortSignal | undefined): Promise<ExecutionResult> {
    if (signal?.aborted)
      return { ...failure('the program was cancelled before it started', 0), cancelled: true };
    const handle = this.worker();
    try {
      await handle.ready;
    } catch (error) {
      this.replace(handle);
      return failure(`the Python sandbox could not start: ${(error as Error).message}`, 0);
    }
    if (signal?.aborted)
      return { ...failure('the program was cancelled before it started', 0), cancelled: true };
    const started = performance.now();
    let stopped: StopReason | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: StopReason): void => {
      if (stopped) return;
      stopped = reason;
      handle.interrupt();
      killTimer = setTimeout(() => void handle.terminate(), this.limits.graceMs);
    };
    const timeTimer = setTimeout(() => stop('time'), this.limits.timeoutMs);
    const onAbort = (): void => stop('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    const reply = await handle.run(code);
    clearTimeout(timeTimer);
    clearTimeout(killTimer);
    signal?.removeEventListener('abort', onAbort);
    const result = this.toResult(reply, stopped, Math.round(performance.now() - started));
    if (this.worn(handle, reply)) this.replace(handle);
    return result;
  }

  private worker(): WorkerHandle {
    this.current ??= new WorkerHandle({
      memoryLimitBytes: this.limits.memoryLimitMb * MIB,
      outputLimitChars: this.limits.outputLimitChars,
      heapLimitMb: this.limits.heapLimitMb,
      startTimeoutMs: this.limits.startTimeoutMs,
    });
    return this.current;
  }

  /** Whether to retire the worker: dead, broken, used a lot, or grown past half its memory (it never shrinks). */
  private worn(handle: WorkerHandle, reply: Reply): boolean {
    if (!handle.alive || reply.type !== 'result') return true;
    if (handle.runs >= this.limits.maxRunsPerWorker) return true;
    return reply.memoryBytes > (this.limits.memoryLimitMb * MIB) / 2;
  }

  /** Retires `handle` and starts its successor now, so the next program finds a warm interpreter. */
  private replace(handle: WorkerHandle): void {
    void handle.terminate();
    if (this.current === handle) this.current = undefined;
    if (!this.closed) this.worker();
  }

  private toResult(reply: Reply, stopped: StopReason | undefined, durationMs: number): ExecutionResult {
    const output = reply.type === 'result' ? reply : { stdout: '', stderr: '', truncated: false };
    const base = { stdout: output.stdout, stderr: output.stderr, truncated: output.truncated, durationMs };
    if (stopped === 'time') {
      const seconds = this.limits.timeoutMs / 1000;
      return {
        ...base,
        ok: false,
        limit: 'time',
        error: `TimeoutError: the program ran longer than the ${seconds} s time limit and was stopped`,
      };
    }
    if (stopped === 'cancelled')
      return { ...base, ok: false, cancelled: true, error: 'the program was cancelled' };
    const memoryNote = `the sandbox allows ${this.limits.memoryLimitMb} MiB of memory`;
    switch (reply.type) {
      case 'result':
        if (reply.ok) return { ...base, ok: true, ...(reply.value !== undefined && { value: reply.value }) };
        if (reply.errorType === 'MemoryError') {
          return {
            ...base,
            ok: false,
            limit: 'memory',
            error: `${reply.error ?? 'MemoryError'}(${memoryNote})`,
          };
        }
        return { ...base, ok: false, error: reply.error ?? `${reply.errorType ?? 'Error'}` };
      case 'fatal':
        if (/memory/i.test(reply.message)) {
          return {
            ...base,
            ok: false,
            limit: 'memory',
            error: `MemoryError: the program ran out of memory (${memoryNote})`,
          };
        }
        return {
          ...base,
          ok: false,
          error: `the Python interpreter failed and was restarted: ${reply.message}`,
        };
      case 'gone':
        if (reply.outOfMemory) {
          return {
            ...base,
            ok: false,
            limit: 'memory',
            error: `MemoryError: the program exceeded the sandbox's memory and was stopped (${memoryNote})`,
          };
        }
        return { ...base, ok: false, error: `the Python worker stopped unexpectedly: ${reply.message}` };
    }
  }
}

function failure(error: string, durationMs: number): ExecutionResult {
  return { ok: false, stdout: '', stderr: '', error, truncated: false, durationMs };
}

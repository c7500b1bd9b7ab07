/**
 * A few sandboxes shared by every API key, scheduled fairly: each key has its own queue, a free worker takes
 * the next program of the key served longest ago (keys take turns), one key runs at most `maxRunningPerKey` programs at
 * once (by default one worker is always left to the others), and a key with `maxQueuedPerKey` programs
 * already waiting has the next one refused (`ResourceExhaustedError`, which fails the turn: 429). So two
 * infinite loops of one key no longer make another key's `print(1)` wait for them.
 */
import { ResourceExhaustedError } from '../../tools/errors.ts';
import { type CodeLimits, type ExecutionResult, PythonSandbox } from './sandbox.ts';

export interface PythonPoolOptions extends CodeLimits {
  /** Worker threads (each a warm interpreter, ~60 MB idle, started when first needed). Default 2. */
  workers?: number;
  /** Programs of one key running at once. Default `workers - 1` (at least 1): a worker stays free for others. */
  maxRunningPerKey?: number;
  /** Programs of one key waiting for a worker; one more is refused with `resource_exhausted`. Default 8. */
  maxQueuedPerKey?: number;
}

export interface PoolRunOptions {
  signal?: AbortSignal;
  /** Whose program it is (the API key's owner id); programs of one key share its queue. Default: one shared key. */
  key?: string | null;
}

interface Job {
  code: string;
  key: string;
  signal: AbortSignal | undefined;
  resolve(result: ExecutionResult): void;
  onAbort?: () => void;
}

export class PythonPool {
  private readonly sandboxes: PythonSandbox[];
  /** Sandboxes with no program, lowest index first (so one key's programs keep to a warm interpreter). */
  private readonly idle: PythonSandbox[];
  /** Waiting programs per key (a key without any is removed). */
  private readonly queues = new Map<string, Job[]>();
  private readonly running = new Map<string, number>();
  /** When each key with programs waiting or running last had one started (a counter): least recent goes first. */
  private readonly lastStarted = new Map<string, number>();
  private starts = 0;
  private readonly maxRunningPerKey: number;
  private readonly maxQueuedPerKey: number;
  private closed = false;

  constructor(options: PythonPoolOptions = {}) {
    const { workers = 2, maxRunningPerKey, maxQueuedPerKey = 8, ...limits } = options;
    positiveInt('workers', workers);
    this.maxRunningPerKey = positiveInt('maxRunningPerKey', maxRunningPerKey ?? Math.max(1, workers - 1));
    this.maxQueuedPerKey = positiveInt('maxQueuedPerKey', maxQueuedPerKey);
    this.sandboxes = Array.from({ length: workers }, () => new PythonSandbox(limits));
    this.idle = [...this.sandboxes];
  }

  get limits(): PythonSandbox['limits'] {
    return this.sandboxes[0]!.limits;
  }

  /**
   * Starts every interpreter now instead of at the first program — one after the other, so the first is
   * ready as soon as it can be (each start takes ~2 s of a core).
   */
  async warm(): Promise<void> {
    for (const sandbox of this.sandboxes) await sandbox.warm();
  }

  /**
   * Runs one program when its key's turn comes. Never rejects for the program's own failures (they are results
   * with `ok: false`); throws `ResourceExhaustedError` at once when the key already has `maxQueuedPerKey`
   * programs waiting.
   */
  run(code: string, options: PoolRunOptions = {}): Promise<ExecutionResult> {
    if (this.closed) return Promise.resolve(failure('the code sandbox is closed'));
    const { signal } = options;
    if (signal?.aborted) return Promise.resolve(cancelledBeforeStart());
    const key = options.key ?? '';
    const queue = this.queues.get(key) ?? [];
    if (queue.length >= this.maxQueuedPerKey) {
      throw new ResourceExhaustedError(
        `this API key already has ${queue.length} Python programs waiting for the code sandbox ` +
          `(the limit is ${this.maxQueuedPerKey}); retry when they have finished`,
      );
    }
    return new Promise<ExecutionResult>((resolve) => {
      const job: Job = { code, key, signal, resolve };
      if (signal) {
        job.onAbort = () => {
          if (this.dequeue(job)) resolve(cancelledBeforeStart());
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      queue.push(job);
      if (!this.queues.has(key)) this.queues.set(key, queue);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const queue of this.queues.values())
      for (const job of queue.splice(0)) this.settle(job, failure('the code sandbox is closed'));
    this.queues.clear();
    await Promise.all(this.sandboxes.map((sandbox) => sandbox.close()));
  }

  /** Start waiting programs on free sandboxes, taking keys in turn. */
  private dispatch(): void {
    while (this.idle.length > 0) {
      const job = this.nextJob();
      if (!job) return;
      const sandbox = this.idle.shift()!;
      this.running.set(job.key, (this.running.get(job.key) ?? 0) + 1);
      sandbox.run(job.code, job.signal).then((result) => {
        this.running.set(job.key, (this.running.get(job.key) ?? 1) - 1);
        if (this.running.get(job.key) === 0) {
          this.running.delete(job.key);
          if (!this.queues.has(job.key)) this.lastStarted.delete(job.key);
        }
        this.idle.push(sandbox);
        this.idle.sort((a, b) => this.sandboxes.indexOf(a) - this.sandboxes.indexOf(b));
        this.settle(job, result);
        if (!this.closed) this.dispatch();
      });
    }
  }

  /**
   * The oldest waiting program of the key under its running cap whose last program started longest ago (a key
   * new to the pool first; ties in the order the keys started waiting): keys take turns, whatever they queue.
   */
  private nextJob(): Job | undefined {
    let chosen: string | undefined;
    let chosenAt = Number.POSITIVE_INFINITY;
    for (const key of this.queues.keys()) {
      if ((this.running.get(key) ?? 0) >= this.maxRunningPerKey) continue;
      const at = this.lastStarted.get(key) ?? 0;
      if (at < chosenAt) [chosen, chosenAt] = [key, at];
    }
    if (chosen === undefined) return undefined;
    const queue = this.queues.get(chosen)!;
    const job = queue.shift()!;
    if (queue.length === 0) this.queues.delete(chosen);
    this.lastStarted.set(chosen, ++this.starts);
    return job;
  }

  /** Removes a waiting job; false when it already started. */
  private dequeue(job: Job): boolean {
    const queue = this.queues.get(job.key);
    const index = queue?.indexOf(job) ?? -1;
    if (!queue || index < 0) return false;
    queue.splice(index, 1);
    if (queue.length === 0) {
      this.queues.delete(job.key);
      if (!this.running.has(job.key)) this.lastStarted.delete(job.key);
    }
    return true;
  }

  private settle(job: Job, result: ExecutionResult): void {
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    job.resolve(result);
  }
}

function failure(error: string): ExecutionResult {
  return { ok: false, stdout: '', stderr: '', error, truncated: false, durationMs: 0 };
}

function cancelledBeforeStart(): ExecutionResult {
  return { ...failure('the program was cancelled before it started'), cancelled: true };
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

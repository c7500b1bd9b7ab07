/** A few sandboxes side by side: each program goes to the one with the shortest queue. */
import { type CodeLimits, type ExecutionResult, PythonSandbox } from './sandbox.ts';

export interface PythonPoolOptions extends CodeLimits {
  /** Worker threads (each a warm interpreter, ~60 MB idle). Default 1. */
  workers?: number;
}

export class PythonPool {
  private readonly sandboxes: PythonSandbox[];

  constructor(options: PythonPoolOptions = {}) {
    const { workers = 1, ...limits } = options;
    if (!Number.isInteger(workers) || workers < 1)
      throw new Error(`workers must be a positive integer, got ${workers}`);
    this.sandboxes = Array.from({ length: workers }, () => new PythonSandbox(limits));
  }

  get limits(): PythonSandbox['limits'] {
    return this.sandboxes[0]!.limits;
  }

  /** Starts every interpreter now instead of at the first program. */
  async warm(): Promise<void> {
    await Promise.all(this.sandboxes.map((sandbox) => sandbox.warm()));
  }

  run(code: string, signal?: AbortSignal): Promise<ExecutionResult> {
    let best = this.sandboxes[0]!;
    for (const sandbox of this.sandboxes) if (sandbox.pending < best.pending) best = sandbox;
    return best.run(code, signal);
  }

  async close(): Promise<void> {
    await Promise.all(this.sandboxes.map((sandbox) => sandbox.close()));
  }
}

/** What the main thread and a Python worker say to each other. */

export interface WorkerSettings {
  /** Most bytes of WebAssembly memory the interpreter may grow to. */
  memoryLimitBytes: number;
  /** Most characters of stdout (and of stderr) kept per run; the rest is cut. */
  outputLimitChars: number;
  /** Int32 slot Python polls between bytecodes; writing 2 raises KeyboardInterrupt (a soft stop). */
  interrupt: SharedArrayBuffer;
}

export interface RunMessage {
  type: 'run';
  id: number;
  code: string;
}

export interface RunOutcome {
  /** False when the program raised (the traceback is in `error`). */
  ok: boolean;
  stdout: string;
  stderr: string;
  /** `repr()` of the last expression's value, when there is one and it is not None. */
  value?: string;
  /** The Python traceback, without the sandbox's own frames. */
  error?: string;
  /** Name of the exception class, e.g. `ZeroDivisionError`, `KeyboardInterrupt`, `MemoryError`. */
  errorType?: string;
  /** True when stdout or stderr was longer than the limit and was cut. */
  truncated: boolean;
  /** Size of the interpreter's WebAssembly memory after the run (it never shrinks). */
  memoryBytes: number;
}

export type WorkerMessage =
  | { type: 'ready'; loadMs: number }
  | ({ type: 'result'; id: number } & RunOutcome)
  /** The interpreter is unusable (failed to load, or broke); the worker must be replaced. */
  | { type: 'fatal'; message: string };

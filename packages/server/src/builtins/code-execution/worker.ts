/**
 * A Python worker: loads Pyodide (WebAssembly) with an in-memory file system only, walls the thread off
 * (lockdown.ts), then runs one program per `run` message, in order. Started by sandbox.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadPyodide, type PyodideAPI } from 'pyodide';
import { capWasmMemory, lockDownRealm } from './lockdown.ts';
import type { RunMessage, RunOutcome, WorkerMessage, WorkerSettings } from './messages.ts';
import { PRELUDE } from './prelude.ts';

const settings = workerData as WorkerSettings;
const port = parentPort!;
const post = (message: WorkerMessage): void => port.postMessage(message);

/** Collects one stream's bytes up to the limit (decoded as UTF-8 across write boundaries). */
class Capture {
  text = '';
  truncated = false;
  private decoder = new TextDecoder();
  private readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }
  write = (bytes: Uint8Array): number => {
    if (!this.truncated) {
      this.text += this.decoder.decode(bytes, { stream: true });
      if (this.text.length > this.limit) {
        this.text = this.text.slice(0, this.limit);
        this.truncated = true;
      }
    }
    return bytes.length; // always accept, so a print flood cannot stall the interpreter
  };
  reset(): void {
    this.text = '';
    this.truncated = false;
    this.decoder = new TextDecoder();
  }
}

async function start(): Promise<void> {
  const began = performance.now();
  const stdout = new Capture(settings.outputLimitChars);
  const stderr = new Capture(settings.outputLimitChars);
  capWasmMemory(settings.memoryLimitBytes);
  const py = await loadPyodide({
    jsglobals: Object.create(null), // Python's `js` module: an empty object, not this thread's globals
    env: { HOME: '/home/pyodide' },
    stdin: () => null,
  });
  py.setStdout({ write: stdout.write });
  py.setStderr({ write: stderr.write });
  const interrupt = new Int32Array(settings.interrupt);
  py.setInterruptBuffer(interrupt);
  py.unregisterJsModule('pyodide_js');
  const scope = py.toPy({}) as ReturnType<PyodideAPI['toPy']> & { get(name: string): unknown };
  py.runPython(PRELUDE, { globals: scope, filename: '<sandbox>' });
  const runPython = scope.get('run') as (code: string) => string;
  // Emscripten replaces its heap view when memory grows: read it afresh each time.
  const emscripten = (py as unknown as { _module: { HEAPU8: Uint8Array } })._module;
  lockDownRealm();

  port.on('message', (message: RunMessage) => {
    Atomics.store(interrupt, 0, 0);
    stdout.reset();
    stderr.reset();
    let reply: Omit<RunOutcome, 'stdout' | 'stderr' | 'truncated' | 'memoryBytes'>;
    try {
      reply = JSON.parse(runPython(message.code)) as typeof reply;
    } catch (error) {
      // The runner catches every Python exception, so this is the interpreter itself failing.
      post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    post({
      type: 'result',
      id: message.id,
      ...reply,
      stdout: stdout.text,
      stderr: stderr.text,
      truncated: stdout.truncated || stderr.truncated,
      memoryBytes: emscripten.HEAPU8.byteLength,
    });
  });
  post({ type: 'ready', loadMs: Math.round(performance.now() - began) });
}

start().catch((error: unknown) => {
  post({ type: 'fatal', message: `the Python sandbox failed to start: ${String(error)}` });
});

/**
 * Benchmarks run their servers (and the memory benchmark its client) in child processes, so the load
 * generator and the server do not share a core. The parent forks an entry file and talks to it over the IPC
 * channel: the child announces `ready` with some info (e.g. its URL), then answers calls by name.
 */
import { type ChildProcess, fork } from 'node:child_process';
import module from 'node:module';

/** Children start through a JS bootstrap that turns on the compile cache first, as `interplay serve` does. */
const BOOTSTRAP = new URL('./child-entry.js', import.meta.url);

type Handler = (args: never) => unknown;

interface CallMessage {
  type: 'call';
  id: number;
  op: string;
  args: unknown;
}
type ChildMessage =
  | { type: 'ready'; info: Record<string, unknown> }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

export interface Child<TInfo> {
  readonly pid: number;
  readonly info: TInfo;
  call<T>(op: string, args?: unknown): Promise<T>;
  /** Asks the child to stop (its `close` handler), then kills it if it has not exited after `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/** Node flags for children: type stripping (on by default from Node 23.6), no experimental warnings, gc. */
function childExecArgv(): string[] {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const strip = major < 23 || (major === 23 && minor < 6) ? ['--experimental-strip-types'] : [];
  // BENCH_CPU_PROF=DIR: every child writes a V8 CPU profile there when it exits (for finding hot spots).
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  // BENCH_NODE_FLAGS="--max-semi-space-size=1 …": extra flags for every child (to try runtime settings).
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
  // --no-warnings: children report warnings through their own channel (see server-child.ts).
  return [...strip, '--no-warnings', '--expose-gc', ...prof, ...extra];
}

export async function spawnChild<TInfo>(
  entry: URL,
  config: unknown,
  {
    readyTimeoutMs = 60_000,
    env = {},
    callgrindOut,
  }: {
    readyTimeoutMs?: number;
    /** Extra environment (e.g. `NODE_DISABLE_COMPILE_CACHE=1` for a start without the compile cache). */
    env?: Record<string, string>;
    /**
     * Run the child under valgrind's callgrind, counting nothing until told to (lib/callgrind.ts), writing its
     * counts to this file.
     */
    callgrindOut?: string;
  } = {},
): Promise<Child<TInfo>> {
  const valgrind = callgrindOut
    ? {
        execPath: 'valgrind',
        execArgv: [
          '--tool=callgrind',
          '--instr-atstart=no',
          `--callgrind-out-file=${callgrindOut}`,
          `--log-file=${callgrindOut}.log`,
          process.execPath,
          ...childExecArgv(),
        ],
      }
    : { execArgv: childExecArgv() };
  const proc: ChildProcess = fork(BOOTSTRAP, [entry.href], {
    ...valgrind,
    env: { ...process.env, ...env, BENCH_CHILD_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    proc.once('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`child exited (${code ?? signal}) during a call`));
      pending.clear();
      resolve();
    }),
  );

  const info = await new Promise<TInfo>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`child ${entry.pathname} not ready after ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
    proc.on('message', (raw) => {
      const msg = raw as ChildMessage;
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve(msg.info as TInfo);
      } else if (msg.type === 'reply') {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.ok) p?.resolve(msg.value);
        else p?.reject(new Error(msg.error));
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child ${entry.pathname} exited (${code}) before it was ready`));
    });
  });

  return {
    pid: proc.pid as number,
    info,
    call<T>(op: string, args?: unknown): Promise<T> {
      if (exited) return Promise.reject(new Error('child has exited'));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ type: 'call', id, op, args } satisfies CallMessage);
      });
    },
    async close(graceMs = 10_000): Promise<void> {
      if (exited) return;
      const id = nextId++;
      proc.send({ type: 'call', id, op: 'close', args: undefined } satisfies CallMessage);
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Child side: read the config, announce readiness, answer calls. `close` is answered by exiting. */
export function childConfig<T>(): T {
  const raw = process.env.BENCH_CHILD_CONFIG;
  if (!raw) throw new Error('not started by spawnChild (BENCH_CHILD_CONFIG is missing)');
  return JSON.parse(raw) as T;
}

export function serveCalls(
  info: Record<string, unknown>,
  handlers: Record<string, Handler> & { close: () => Promise<void> | void },
): void {
  process.on('message', (raw) => {
    const msg = raw as CallMessage;
    if (msg.type !== 'call') return;
    if (msg.op === 'close') {
      Promise.resolve()
        .then(() => handlers.close())
        .catch((err: unknown) => console.error('bench child: close failed', err))
        .finally(() => process.exit(0));
      return;
    }
    const handler = handlers[msg.op];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown op ${msg.op}`);
        return (handler as (args: unknown) => unknown)(msg.args);
      })
      .then(
        (value) => process.send?.({ type: 'reply', id: msg.id, ok: true, value }),
        (err: unknown) =>
          process.send?.({
            type: 'reply',
            id: msg.id,
            ok: false,
            error: err instanceof Error ? (err.stack ?? err.message) : String(err),
          }),
      );
  });
  // The parent went away: do not linger.
  process.on('disconnect', () => {
    Promise.resolve(handlers.close()).finally(() => process.exit(0));
  });
  // Write the compile cache now: a child killed later still leaves it warm for the next start.
  module.flushCompileCache?.();
  process.send?.({ type: 'ready', info });
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export function memorySample(gc = false): MemorySample {
  if (gc) (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

/**
 * `pnpm replicas --db postgres://USER:PASS@HOST:PORT/DB [--replicas N] [--port PORT] [serve flags…]`: several
 * `interplay serve` replicas on one Postgres database, on free ports, behind a round-robin proxy on PORT
 * (default 8787) — a multi-replica deployment on one machine, in one command (docs/deploy.md). Flags it does
 * not know are passed to every replica. Prints one line once all accept connections; SIGINT/SIGTERM stops
 * them all (each shuts down gracefully: its background runs are handed over).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type RoundRobinProxy, startRoundRobinProxy } from './round-robin-proxy.ts';

const CLI = fileURLToPath(new URL('../packages/cli/bin/interplay.js', import.meta.url));

export interface Replica {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal) once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** What it wrote to stderr so far (its logs). */
  stderr(): string;
}

export interface Replicas {
  /** The proxy's URL: what clients use. */
  url: string;
  replicas: Replica[];
  proxy: RoundRobinProxy;
  /** Start one more replica (e.g. after one was killed); it is not put behind the proxy. */
  addReplica(): Promise<Replica>;
  /** SIGTERM to every replica still running, then the proxy. */
  close(): Promise<void>;
}

export interface ReplicasOptions {
  /** A `postgres://` URL: the database the replicas share. */
  db: string;
  replicas?: number;
  /** The proxy's port; default 0 (a free one). */
  port?: number;
  /** More `interplay serve` flags for every replica. */
  serveArgs?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** Starts one `interplay serve --port 0` and resolves once it prints its ready line. */
export function startReplica(
  db: string,
  serveArgs: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<Replica> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--db', db, ...serveArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d) => {
      stdout += d;
      const ready = /Interplay listening on (http:\/\/\S+)\n/.exec(stdout);
      if (ready) resolve({ url: ready[1] as string, child, exited, stderr: () => stderr });
    });
    child.once('exit', (code) =>
      reject(new Error(`a replica exited (${code}) before it was ready: ${stderr}`)),
    );
  });
}

export async function startReplicas(options: ReplicasOptions): Promise<Replicas> {
  if (!/^postgres(ql)?:\/\//i.test(options.db)) {
    throw new TypeError('replicas share one Postgres database: give --db postgres://USER:PASS@HOST:PORT/DB');
  }
  const count = options.replicas ?? 2;
  const serveArgs = options.serveArgs ?? [];
  const replicas = await Promise.all(
    Array.from({ length: count }, () => startReplica(options.db, serveArgs, options.env)),
  );
  const proxy = await startRoundRobinProxy(
    replicas.map((r) => r.url),
    options.port === undefined ? {} : { port: options.port },
  );
  const all = [...replicas];
  return {
    url: proxy.url,
    replicas,
    proxy,
    async addReplica() {
      const replica = await startReplica(options.db, serveArgs, options.env);
      all.push(replica);
      return replica;
    },
    async close() {
      await proxy.close();
      for (const r of all)
        if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGTERM');
      await Promise.all(all.map((r) => r.exited));
    },
  };
}

async function main(): Promise<void> {
  const { values, tokens } = parseArgs({
    options: {
      db: { type: 'string' },
      replicas: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: false,
    tokens: true,
  });
  if (values.help) {
    process.stdout.write(
      'Usage: pnpm replicas --db postgres://USER:PASS@HOST:PORT/DB [--replicas N] [--port PORT] [serve flags…]\n',
    );
    return;
  }
  const known = new Set(['db', 'replicas', 'port', 'help']);
  const serveArgs = tokens.flatMap((t) => {
    if (t.kind === 'positional') return [t.value];
    if (t.kind !== 'option' || known.has(t.name)) return [];
    return t.value === undefined ? [t.rawName] : [t.rawName, t.value];
  });
  const db = typeof values.db === 'string' ? values.db : process.env.INTERPLAY_DB;
  if (!db) throw new TypeError('give --db postgres://USER:PASS@HOST:PORT/DB (or set INTERPLAY_DB)');
  const running = await startReplicas({
    db,
    replicas: Number(values.replicas ?? 2),
    port: Number(values.port ?? 8787),
    serveArgs,
  });
  process.stdout.write(
    `Interplay replicas listening on ${running.url} (${running.replicas.map((r) => r.url).join(', ')})\n`,
  );
  for (const r of running.replicas) r.child.stderr?.pipe(process.stderr);
  const stop = () => {
    running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`replicas: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}

/** Start the benchmark servers as child processes (see server-child.ts). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Child, spawnChild } from './child.ts';
import type { ChainLink, ServerChildConfig, ServerStats } from './server-types.ts';

/** The scenario's own server, or the one it was given (which it must not close). */
export async function useInterplay(given: BenchServer | undefined): Promise<BenchServer> {
  if (given) return { ...given, close: async () => {} };
  return startInterplay();
}

export interface BenchServer {
  url: string;
  pid: number;
  stats(options?: { settle?: number; gc?: boolean }): Promise<ServerStats>;
  chain(id: string): Promise<ChainLink[]>;
  close(): Promise<void>;
}

const ENTRY = new URL('./server-child.ts', import.meta.url);

export interface InterplayOptions {
  delayMs?: number;
  memoryDb?: boolean;
  durability?: Durability;
  /**
   * Use this SQLite file and leave it in place on close (the caller removes it): a server started again on it
   * is a restart. Default: a fresh file in a temp dir, removed on close.
   */
  dbPath?: string;
  /** Start without Node's compile cache, as the first start in a fresh container does. */
  noCompileCache?: boolean;
  /** Run under callgrind, writing instruction counts here (lib/callgrind.ts). */
  callgrindOut?: string;
  /** A Postgres database (with `?schema=`) instead of the SQLite file: one replica on it. */
  postgresUrl?: string;
  /** No history cache: every continued turn reads its chain from the store. */
  noHistoryCache?: boolean;
}

/** Callgrind runs a process ~50× slower: its start may take minutes. */
const spawnOptions = (callgrindOut: string | undefined) =>
  callgrindOut ? { callgrindOut, readyTimeoutMs: 600_000 } : {};

export type Durability = 'normal' | 'full';

/** Interplay's server with the bench script on a SQLite file (by default a fresh one, removed on close). */
export async function startInterplay(options: InterplayOptions = {}): Promise<BenchServer> {
  const dir = options.dbPath ? undefined : mkdtempSync(join(tmpdir(), 'interplay-bench-'));
  const config: ServerChildConfig = {
    kind: 'interplay',
    dbPath: options.memoryDb ? ':memory:' : (options.dbPath ?? join(dir as string, 'bench.db')),
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
    ...(options.durability === undefined ? {} : { durability: options.durability }),
    ...(options.postgresUrl === undefined ? {} : { postgresUrl: options.postgresUrl }),
    ...(options.noHistoryCache ? { noHistoryCache: true } : {}),
  };
  const removeDir = () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  let child: Child<{ url: string }>;
  try {
    child = await spawnChild<{ url: string }>(ENTRY, config, {
      env: options.noCompileCache ? { NODE_DISABLE_COMPILE_CACHE: '1' } : {},
      ...spawnOptions(options.callgrindOut),
    });
  } catch (err) {
    removeDir();
    throw err;
  }
  return wrap(child, removeDir);
}

/** A bare node:http server answering `body` to every request. */
export async function startBare(body: string): Promise<BenchServer> {
  const child = await spawnChild<{ url: string }>(ENTRY, {
    kind: 'bare',
    bareBody: body,
  } satisfies ServerChildConfig);
  return wrap(child, () => {});
}

/** A bare node:http SSE server sending `events` to every request, `paceMs` after each `pacedEvent`. */
export async function startBareSse(
  events: string[],
  paceMs: number,
  pacedEvent: string,
): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'interplay-sse-'));
  const sseEventsFile = join(dir, 'events.json');
  writeFileSync(sseEventsFile, JSON.stringify(events));
  let child: Child<{ url: string }>;
  try {
    child = await spawnChild<{ url: string }>(ENTRY, {
      kind: 'sse',
      sseEventsFile,
      paceMs,
      pacedEvent,
    } satisfies ServerChildConfig);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return wrap(child, () => rmSync(dir, { recursive: true, force: true }));
}

/**
 * The durable floor (see ServerChildConfig): parses each body and stores it as one interaction row in a
 * SQLite file (by default a fresh one, removed on close; `dbPath` to restart it on the same file), answering
 * `body` with a new id.
 */
export async function startFloor(
  body: string,
  {
    durability,
    callgrindOut,
    postgresUrl,
    dbPath,
  }: { durability?: Durability; callgrindOut?: string; postgresUrl?: string; dbPath?: string } = {},
): Promise<BenchServer> {
  const dir = dbPath ? undefined : mkdtempSync(join(tmpdir(), 'interplay-floor-'));
  const removeDir = () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  let child: Child<{ url: string }>;
  try {
    child = await spawnChild<{ url: string }>(
      ENTRY,
      {
        kind: 'floor',
        bareBody: body,
        dbPath: dbPath ?? join(dir as string, 'floor.db'),
        ...(durability === undefined ? {} : { durability }),
        ...(postgresUrl === undefined ? {} : { postgresUrl }),
      } satisfies ServerChildConfig,
      spawnOptions(callgrindOut),
    );
  } catch (err) {
    removeDir();
    throw err;
  }
  return wrap(child, removeDir);
}

function wrap(child: Child<{ url: string }>, cleanup: () => void): BenchServer {
  return {
    url: child.info.url,
    pid: child.pid,
    stats: (options = {}) => child.call<ServerStats>('stats', options),
    chain: (id) => child.call<ChainLink[]>('chain', { id }),
    async close() {
      await child.close();
      cleanup();
    },
  };
}

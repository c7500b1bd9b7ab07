/** What the bench server process (server-child.ts) is told and what it reports. */
import type { memorySample } from './child.ts';

export interface ServerChildConfig {
  /**
   * - `interplay`: the server with the bench script.
   * - `bare`: node:http answering `bareBody` to everything (what one Node process can serve here).
   * - `floor`: node:http that parses the JSON body, stores it as one finished interaction row in the same
   *   SQLite store (same schema, same group commit) and answers `bareBody` with a fresh id: the least any
   *   server that keeps what it was sent can do per create.
   * - `sse`: node:http answering every request with the SSE stream in `sseEventsFile` (a JSON array, one
   *   string per event, blank line included), pausing `paceMs` after each event whose type is `pacedEvent`: a
   *   bare streaming server.
   */
  kind: 'interplay' | 'bare' | 'floor' | 'sse';
  /** SQLite file (Interplay, floor); default `:memory:`. */
  dbPath?: string;
  /**
   * A Postgres database instead of SQLite (Interplay, floor), `?schema=` included: Interplay runs as one
   * replica on it; the floor's row goes through `PostgresStore.createInteraction` (one INSERT).
   */
  postgresUrl?: string;
  /** The store's durability (`synchronous=NORMAL` or `FULL`); default `normal`, as `interplay serve`. */
  durability?: 'normal' | 'full';
  /** The script's `delay_ms` (pause between streamed deltas). */
  delayMs?: number;
  /** Interplay with no history cache (`historyCache: false`): every continued turn reads its chain from the store. */
  noHistoryCache?: boolean;
  /** The bare and floor servers' answer (a sample Interplay response). */
  bareBody?: string;
  /** A file, not the events: the config travels in an environment variable, which has a size limit. */
  sseEventsFile?: string;
  paceMs?: number;
  pacedEvent?: string;
}

/** Requests may carry this header; POSTs are also counted per tag (so concurrent scenarios stay apart). */
export const TAG_HEADER = 'x-bench-tag';

export interface ServerCounters {
  requests: number;
  posts: number;
  /** POSTs per `x-bench-tag`. */
  postsByTag: Record<string, number>;
}

export interface ServerStats extends ServerCounters {
  /** Store statements executed since open (Interplay only). */
  statements: number;
  /** Interactions running in the process (Interplay only). */
  running: number;
  memory: ReturnType<typeof memorySample>;
  /** CPU time of the server process so far (user + system), microseconds. */
  cpuMicros: number;
  /** Process warnings emitted so far (`name: message`), e.g. MaxListenersExceededWarning. */
  warnings: string[];
}

export interface ChainLink {
  id: string;
  status: string;
  previousId: string | undefined;
  /** Item types of what that POST sent as `input`. */
  input: string[];
  output: string[];
}

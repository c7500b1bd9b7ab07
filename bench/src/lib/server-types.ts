/** What the bench server process (server-child.ts) is told and what it reports. */
import type { memorySample } from './child.ts';

export interface ServerChildConfig {
  kind: 'interplay' | 'bare';
  /** SQLite file (Interplay); default `:memory:`. */
  dbPath?: string;
  /** The script's `delay_ms` (pause between streamed deltas). */
  delayMs?: number;
  /** The bare server's answer. */
  bareBody?: string;
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

/**
 * Persistence behind the server: SQLite (node:sqlite, sqlite-store.ts) for one process, Postgres
 * (postgres-store.ts) for several replicas. Both pass the same contract tests (test/store-contract*.test.ts).
 */

import type {
  CanonicalEvent,
  CanonicalRequest,
  ErrorBody,
  InteractionStatus,
  Item,
  Usage,
} from '@interplay/protocol';
import type { AgentStore } from '../agents/custom/agent-store.ts';

export interface InteractionRecord {
  id: string;
  /** Hash of the API key that created it; `null` in open mode. Other keys must not see the row. */
  owner: string | null;
  status: InteractionStatus;
  model?: string;
  agent?: string;
  /** ISO-8601, seconds precision, `Z`. */
  created: string;
  updated: string;
  /** The request as received (canonical); `request.input` is this interaction's own input. */
  request: CanonicalRequest;
  output: Item[];
  usage?: Usage;
  error?: ErrorBody;
  previousId?: string;
  background: boolean;
  /** Epoch milliseconds after which the row may be removed. */
  expiresAt: number;
}

export interface StoredEvent {
  /** Position in the interaction's log, from 1. */
  seq: number;
  /** Wire `event_id` (opaque to clients). */
  eventId: string;
  event: CanonicalEvent;
}

/** The fields an interaction's end sets. A key present with value `undefined` clears that field (`usage`, `error`). */
export type InteractionPatch = Partial<
  Pick<InteractionRecord, 'status' | 'updated' | 'output' | 'usage' | 'error' | 'expiresAt'>
>;

export interface FileRecord {
  /** `files/<id>` */
  name: string;
  owner: string | null;
  displayName?: string;
  mimeType: string;
  sizeBytes: number;
  state: 'PROCESSING' | 'ACTIVE' | 'FAILED';
  created: string;
  updated: string;
  expiresAt: number;
  sha256?: string;
}

/**
 * An event to write: its log position is given by the caller (see `appendEvents`'s `firstSeq`). Its wire id is
 * its position, `evt_<seq>` (runtime/ids.ts `eventIdFor`), so stores derive `StoredEvent.eventId` from the seq.
 */
export interface NewEvent {
  event: CanonicalEvent;
}

/** `loadHistory` with what a cache of it must know: which interactions it came from, and until when it holds. */
export interface HistoryChain {
  /** Items (input then output) of every interaction in the chain, oldest first. */
  items: Item[];
  /** Ids of the interactions those items come from, oldest first. */
  ids: string[];
  /**
   * The earliest `expiresAt` among them (`Infinity` for an empty chain): from then on the chain reads shorter
   * (an expired link ends it).
   */
  expiresAt: number;
  /** Length of the items' JSON text: what they weigh in memory, roughly, known without walking them. */
  bytes: number;
  /**
   * Whose the interaction asked for is and where it stands (absent when it is not stored or has expired): a
   * turn that continues it checks both from the same read as its history.
   */
  head?: { owner: string | null; status: InteractionStatus };
}

/** How many interactions one `listInteractions` call examines at most, unless the query says otherwise. */
export const LIST_SCAN_LIMIT = 1000;

/**
 * What `listInteractions` returns: interactions ordered by `(created, id)` descending (keyset paging: the page
 * token is the position of the last row examined, opaque to callers).
 *
 * Bounded work: without `previousId`, a call examines at most `scanLimit` of the owner's interactions after
 * the token, newest first, and applies the filters to those; when that window is used up before the page is
 * full, the page comes back short (even empty) with a `nextPageToken` that continues after the window.
 * With `previousId`, only the interactions that continue that one are examined (an index finds them).
 *
 * A store implements exactly these filters: every given one must hold.
 */
export interface InteractionQuery {
  /** Rows per page, 1–100. */
  pageSize: number;
  pageToken?: string;
  status?: InteractionStatus;
  /** Exact model id. */
  model?: string;
  /** Exact agent name. */
  agent?: string;
  /** Only interactions whose `previous_interaction_id` is this id. */
  previousId?: string;
  /**
   * Matches an interaction whose id equals it, or whose input or output has a `text` or `name` string (user
   * text, model text, thought summaries, tool names) containing it, or whose error message contains it.
   * Case-insensitive for ASCII letters.
   */
  text?: string;
  /** Default {@link LIST_SCAN_LIMIT}. */
  scanLimit?: number;
}

/** One row of the inspector's list: what a list shows, without the interaction's steps. */
export interface InteractionSummary {
  id: string;
  status: InteractionStatus;
  model?: string;
  agent?: string;
  created: string;
  updated: string;
  previousId?: string;
  background: boolean;
  usage?: Usage;
  error?: ErrorBody;
  /** The first text of its own input, at most {@link INPUT_PREVIEW_CHARS} characters. */
  inputPreview?: string;
  /** How many items its own input has: the first `inputCount` steps of a steps GET are its input. */
  inputCount: number;
}

export const INPUT_PREVIEW_CHARS = 200;

export interface InteractionPage {
  interactions: InteractionSummary[];
  /** Absent when nothing older is left to examine. */
  nextPageToken?: string;
}

/**
 * Every stored interaction is written the same way: `createInteraction` when its run starts, `appendEvents`
 * in batches while it runs, `finishInteraction` at its end (runtime/run.ts).
 *
 * Every method may be called concurrently. Writes to one interaction (create, append, finish, delete) are
 * applied in the order they were called, even when the caller does not await each before the next.
 */
export interface Store {
  /** Custom agents (the agents resource); a store without them gets the server's in-memory one. */
  readonly agents?: AgentStore;
  /** Insert a new interaction; a `conflict` when the id exists. */
  createInteraction(record: InteractionRecord): Promise<void>;
  /**
   * `undefined` when absent, expired, or owned by another key. Expired = past `expiresAt` and not
   * `queued`/`in_progress` (the same rule for every read, whether or not `expire()` has run yet).
   */
  getInteraction(id: string, owner: string | null): Promise<InteractionRecord | undefined>;
  /**
   * Write the end of an interaction in one transaction: the last `events` of its log (at `firstSeq`,
   * `firstSeq + 1`, …; none is fine) and its final state. All or nothing: when it rejects, none of it is stored.
   * A `not_found` when the interaction is not stored (e.g. deleted), a `conflict` when a seq is taken.
   */
  finishInteraction(
    id: string,
    final: InteractionPatch,
    events: readonly NewEvent[],
    firstSeq: number,
  ): Promise<void>;
  /** Removes the row and its events; false when absent or not the caller's. */
  deleteInteraction(id: string, owner: string | null): Promise<boolean>;
  /**
   * Items (input then output) of every interaction in the chain ending at `id`, oldest first. A fixed number
   * of queries whatever the chain's length. Not owner-checked (check the head with `getInteraction`); an
   * expired or deleted link ends the chain.
   */
  loadHistory(id: string): Promise<Item[]>;
  /** `loadHistory`, plus the chain's ids and earliest expiry (for the runtime's history cache). */
  loadChain(id: string): Promise<HistoryChain>;

  /**
   * Append to an interaction's log. `firstSeq` is the seq of the first event when the caller keeps the log's
   * count itself (the runtime does: no lookup, and a seq already taken is a `conflict`); without it the events
   * go after the last stored one.
   */
  appendEvents(id: string, events: readonly NewEvent[], firstSeq?: number): Promise<void>;
  /** Events with `seq > afterSeq`, in order; at most `limit` of them when given (to page a long log). */
  listEvents(id: string, afterSeq?: number, limit?: number): Promise<StoredEvent[]>;
  /** Whether that interaction's log has an event at `seq`. */
  hasEvent(id: string, seq: number): Promise<boolean>;

  /**
   * One page of the caller's interactions, newest first, for the inspector (see {@link InteractionQuery}).
   * Owner-scoped and expiry-checked exactly as `getInteraction`. An unreadable `pageToken` throws
   * `StoreError('invalid_page_token')`.
   */
  listInteractions(owner: string | null, query: InteractionQuery): Promise<InteractionPage>;

  /** Interactions left `queued`/`in_progress` (e.g. by a crash). */
  listUnfinished(): Promise<InteractionRecord[]>;
  /**
   * Remove everything whose `expiresAt` is before `now`; returns how many interactions were removed.
   * `queued`/`in_progress` interactions are kept (never swept from under a running turn).
   */
  expire(now: number): Promise<number>;

  /**
   * File names are per owner (`null`, open mode, is one owner too): a `conflict` only when this owner already
   * has a file of that name; another owner's file of the same name is invisible.
   */
  createFile(record: FileRecord, data: Uint8Array): Promise<void>;
  getFile(name: string, owner: string | null): Promise<FileRecord | undefined>;
  readFileData(name: string, owner: string | null): Promise<Uint8Array | undefined>;
  updateFile(
    name: string,
    owner: string | null,
    patch: Partial<Pick<FileRecord, 'state' | 'updated'>>,
  ): Promise<void>;
  /** Ordered by (created, name). An unreadable `pageToken` throws `StoreError('invalid_page_token')`. */
  listFiles(
    owner: string | null,
    pageSize: number,
    pageToken?: string,
  ): Promise<{ files: FileRecord[]; nextPageToken?: string }>;
  deleteFile(name: string, owner: string | null): Promise<boolean>;

  close(): Promise<void>;
}

export type StoreErrorCode =
  /** The store was closed. */
  | 'closed'
  /** A row with that id/name already exists. */
  | 'conflict'
  /** The interaction an operation needs does not exist (e.g. events appended to a deleted one). */
  | 'not_found'
  | 'invalid_page_token'
  /** The database was written by a newer server (or its schema name is not one the store accepts). */
  | 'schema'
  /** The database server could not be reached. */
  | 'unavailable'
  /**
   * Another replica holds the lease of this running interaction (this one's lapsed and was taken over):
   * the write was refused (replica-store.ts).
   */
  | 'lease_lost';

/** What a store throws for conditions the runtime can map to a response (others are internal errors). */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}

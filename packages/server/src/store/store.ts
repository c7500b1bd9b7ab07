/**
 * Persistence behind the server. SQLite (node:sqlite) implements it today; the interface is async so a
 * Postgres store can implement it for several replicas.
 */
import type { CanonicalEvent, CanonicalRequest, ErrorBody, InteractionStatus, Item, Usage } from '@interplay/protocol';

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

export type InteractionPatch = Partial<Pick<InteractionRecord, 'status' | 'updated' | 'output' | 'usage' | 'error'>>;

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

export interface Store {
  createInteraction(record: InteractionRecord): Promise<void>;
  /** `undefined` when absent, expired, or owned by another key. */
  getInteraction(id: string, owner: string | null): Promise<InteractionRecord | undefined>;
  updateInteraction(id: string, patch: InteractionPatch): Promise<void>;
  /** Removes the row and its events; false when absent or not the caller's. */
  deleteInteraction(id: string, owner: string | null): Promise<boolean>;
  /** Items (input then output) of every interaction in the chain ending at `id`, oldest first. One query. */
  loadHistory(id: string): Promise<Item[]>;

  appendEvents(id: string, events: { eventId: string; event: CanonicalEvent }[]): Promise<void>;
  /** Events with `seq > afterSeq`, in order. */
  listEvents(id: string, afterSeq?: number): Promise<StoredEvent[]>;
  /** The `seq` of an event id in that interaction's log, if present. */
  findEventSeq(id: string, eventId: string): Promise<number | undefined>;

  /** Interactions left `queued`/`in_progress` (e.g. by a crash). */
  listUnfinished(): Promise<InteractionRecord[]>;
  /** Remove everything whose `expiresAt` is before `now`; returns how many interactions were removed. */
  expire(now: number): Promise<number>;

  createFile(record: FileRecord, data: Uint8Array): Promise<void>;
  getFile(name: string, owner: string | null): Promise<FileRecord | undefined>;
  readFileData(name: string, owner: string | null): Promise<Uint8Array | undefined>;
  updateFile(name: string, patch: Partial<Pick<FileRecord, 'state' | 'updated'>>): Promise<void>;
  listFiles(owner: string | null, pageSize: number, pageToken?: string): Promise<{ files: FileRecord[]; nextPageToken?: string }>;
  deleteFile(name: string, owner: string | null): Promise<boolean>;

  close(): Promise<void>;
}

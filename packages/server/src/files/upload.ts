/**
 * Resumable uploads as the official SDKs drive them:
 *  1. `POST /upload/{ver}/files` with `X-Goog-Upload-Protocol: resumable`, `X-Goog-Upload-Command: start`,
 *     `X-Goog-Upload-Header-Content-Length/-Type` and a JSON body `{file:{displayName?, mimeType?, name?}}`
 *     → 200 with `X-Goog-Upload-URL` (the session; a capability, so later chunks need no API key);
 *  2. `POST <upload url>` with `X-Goog-Upload-Command: upload` (more to come) or `upload, finalize` (last)
 *     and `X-Goog-Upload-Offset` → `X-Goog-Upload-Status: active`, or `final` with `{"file": File}`.
 * `query` reports the bytes received; `cancel` drops the session.
 */
import { randomBytes } from 'node:crypto';

export interface UploadSession {
  id: string;
  owner: string | null;
  /** `files/<id>` chosen at start. */
  name: string;
  displayName?: string;
  mimeType: string;
  /** Declared total size, if the client sent one. */
  declaredSize?: number;
  /** Bytes received so far. */
  received: number;
  createdAt: number;
}

export type NewUploadSession = Omit<UploadSession, 'id' | 'received' | 'createdAt'>;

/**
 * Where upload sessions live between their requests: in this process ({@link UploadSessions}), or — several
 * replicas behind a load balancer, each chunk may land on another — in the database they share
 * (store/postgres-uploads.ts).
 */
export interface UploadSessionStore {
  create(init: NewUploadSession): Promise<UploadSession>;
  /** The session, unless it is unknown, finished or older than {@link SESSION_TTL_MS}. */
  get(id: string): Promise<UploadSession | undefined>;
  /** True when an unfinished session of this owner already claimed this file name (names are per owner). */
  nameTaken(name: string, owner: string | null): Promise<boolean>;
  /** Adds `chunk` at `offset`; false (nothing added) when `offset` is not the bytes received so far. */
  append(id: string, offset: number, chunk: Buffer): Promise<boolean>;
  /** Ends the session: its bytes in order, or `undefined` when it is gone. */
  take(id: string): Promise<Buffer | undefined>;
  delete(id: string): Promise<void>;
  /** Drops what this process holds (at shutdown). */
  clear(): void;
}

/** Sessions not finalized within this time are dropped. */
export const SESSION_TTL_MS = 3_600_000;

export const newUploadId = (): string => randomBytes(24).toString('base64url');

/** Upload sessions in this process (one server on its own store). */
export class UploadSessions implements UploadSessionStore {
  readonly #sessions = new Map<string, { session: UploadSession; chunks: Buffer[]; timer: NodeJS.Timeout }>();

  async create(init: NewUploadSession): Promise<UploadSession> {
    const session: UploadSession = { ...init, id: newUploadId(), received: 0, createdAt: Date.now() };
    const timer = setTimeout(() => this.#sessions.delete(session.id), SESSION_TTL_MS);
    timer.unref();
    this.#sessions.set(session.id, { session, chunks: [], timer });
    return { ...session };
  }

  async get(id: string): Promise<UploadSession | undefined> {
    const entry = this.#sessions.get(id);
    return entry && { ...entry.session };
  }

  async nameTaken(name: string, owner: string | null): Promise<boolean> {
    for (const { session } of this.#sessions.values())
      if (session.name === name && session.owner === owner) return true;
    return false;
  }

  async append(id: string, offset: number, chunk: Buffer): Promise<boolean> {
    const entry = this.#sessions.get(id);
    if (!entry || entry.session.received !== offset) return false;
    entry.chunks.push(chunk);
    entry.session.received += chunk.length;
    return true;
  }

  async take(id: string): Promise<Buffer | undefined> {
    const entry = this.#sessions.get(id);
    if (!entry) return undefined;
    await this.delete(id);
    return Buffer.concat(entry.chunks, entry.session.received);
  }

  async delete(id: string): Promise<void> {
    const entry = this.#sessions.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#sessions.delete(id);
  }

  clear(): void {
    for (const { timer } of this.#sessions.values()) clearTimeout(timer);
    this.#sessions.clear();
  }
}

/** Lower-case alphanumeric id, like the Files API's (`files/mehozpxf877d`). */
export function newFileId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(12);
  let id = '';
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return id;
}

/** A caller-chosen name: `files/` + 1–40 lower-case letters, digits or dashes, not starting/ending with a dash. */
export const FILE_NAME_RE = /^files\/[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

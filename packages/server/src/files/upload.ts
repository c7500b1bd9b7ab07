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
  chunks: Buffer[];
  received: number;
  createdAt: number;
}

/** Sessions not finalized within this time are dropped. */
const SESSION_TTL_MS = 3_600_000;

export class UploadSessions {
  readonly #sessions = new Map<string, { session: UploadSession; timer: NodeJS.Timeout }>();

  create(init: Omit<UploadSession, 'id' | 'chunks' | 'received' | 'createdAt'>): UploadSession {
    const session: UploadSession = {
      ...init,
      id: randomBytes(24).toString('base64url'),
      chunks: [],
      received: 0,
      createdAt: Date.now(),
    };
    const timer = setTimeout(() => this.#sessions.delete(session.id), SESSION_TTL_MS);
    timer.unref();
    this.#sessions.set(session.id, { session, timer });
    return session;
  }

  get(id: string): UploadSession | undefined {
    return this.#sessions.get(id)?.session;
  }

  /** True when an unfinished session of this owner already claimed this file name (names are per owner). */
  nameTaken(name: string, owner: string | null): boolean {
    for (const { session } of this.#sessions.values())
      if (session.name === name && session.owner === owner) return true;
    return false;
  }

  delete(id: string): void {
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

/**
 * Resumable upload sessions in Postgres (files/upload.ts `UploadSessionStore`): behind a load balancer the
 * start, each chunk and the finalize of one upload may reach different replicas, so the session and its
 * chunks are rows every replica reads. A chunk is added only at the offset the session has received so far
 * (checked in the same statement), so two requests racing on one offset add it once.
 */
import {
  type NewUploadSession,
  newUploadId,
  SESSION_TTL_MS,
  type UploadSession,
  type UploadSessionStore,
} from '../files/upload.ts';
import type { PgDatabase } from './postgres-database.ts';

type Row = Record<string, unknown>;

const COLUMNS = 'id, owner, name, display_name, mime_type, declared_size, received, created_at';

function toSession(row: Row): UploadSession {
  return {
    id: String(row.id),
    owner: row.owner === null ? null : String(row.owner),
    name: String(row.name),
    ...(row.display_name === null ? {} : { displayName: String(row.display_name) }),
    mimeType: String(row.mime_type),
    ...(row.declared_size === null ? {} : { declaredSize: Number(row.declared_size) }),
    received: Number(row.received),
    createdAt: Number(row.created_at),
  };
}

export class PostgresUploadSessions implements UploadSessionStore {
  readonly #db: PgDatabase;
  readonly #now: () => number;

  constructor(db: PgDatabase, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  async create(init: NewUploadSession): Promise<UploadSession> {
    const now = this.#now();
    // Sessions past their time go as new ones come (there is no per-process timer to drop them).
    await this.#db.query('DELETE FROM upload_sessions WHERE created_at < $1', [now - SESSION_TTL_MS]);
    const session: UploadSession = { ...init, id: newUploadId(), received: 0, createdAt: now };
    await this.#db.query(`INSERT INTO upload_sessions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, 0, $7)`, [
      session.id,
      session.owner,
      session.name,
      session.displayName ?? null,
      session.mimeType,
      session.declaredSize ?? null,
      now,
    ]);
    return session;
  }

  async get(id: string): Promise<UploadSession | undefined> {
    const { rows } = await this.#db.query(
      `SELECT ${COLUMNS} FROM upload_sessions WHERE id = $1 AND created_at >= $2`,
      [id, this.#now() - SESSION_TTL_MS],
    );
    return rows[0] && toSession(rows[0]);
  }

  async nameTaken(name: string, owner: string | null): Promise<boolean> {
    const { rows } = await this.#db.query(
      `SELECT 1 FROM upload_sessions
        WHERE COALESCE(owner, '') = COALESCE($1::text, '') AND name = $2 AND created_at >= $3`,
      [owner, name, this.#now() - SESSION_TTL_MS],
    );
    return rows.length > 0;
  }

  append(id: string, offset: number, chunk: Buffer): Promise<boolean> {
    return this.#db.transaction(async (client) => {
      const { rowCount } = await this.#db.query(
        'UPDATE upload_sessions SET received = received + $3 WHERE id = $1 AND received = $2',
        [id, offset, chunk.length],
        client,
      );
      if (rowCount === 0) return false;
      await this.#db.query(
        'INSERT INTO upload_chunks (session_id, at, data) VALUES ($1, $2, $3)',
        [id, offset, chunk],
        client,
      );
      return true;
    });
  }

  take(id: string): Promise<Buffer | undefined> {
    return this.#db.transaction(async (client) => {
      // Locked first: a chunk racing the finalize waits, then finds the session gone.
      const { rows: sessions } = await this.#db.query(
        'SELECT received FROM upload_sessions WHERE id = $1 FOR UPDATE',
        [id],
        client,
      );
      const session = sessions[0];
      if (!session) return undefined;
      const { rows } = await this.#db.query(
        'SELECT data FROM upload_chunks WHERE session_id = $1 ORDER BY at',
        [id],
        client,
      );
      await this.#db.query('DELETE FROM upload_sessions WHERE id = $1', [id], client);
      return Buffer.concat(
        rows.map((r) => r.data as Buffer),
        Number(session.received),
      );
    });
  }

  async delete(id: string): Promise<void> {
    await this.#db.query('DELETE FROM upload_sessions WHERE id = $1', [id]);
  }

  clear(): void {}
}

/** What a SQLite store file holds of event logs, read straight from the file (store/event-batches.ts). */
import { DatabaseSync } from 'node:sqlite';

/**
 * Events stored, over every interaction: the rows of `event_batches` (each `first_seq … last_seq`) and the
 * logs written with their interaction's row (`interactions.event_count`, schema v10).
 */
export function storedEventCount(dbPath: string): number {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const sql = `SELECT (SELECT COALESCE(SUM(last_seq - first_seq + 1), 0) FROM event_batches)
                      + (SELECT COALESCE(SUM(event_count), 0) FROM interactions) AS n`;
    return Number((db.prepare(sql).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

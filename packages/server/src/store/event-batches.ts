/**
 * How the SQLite store keeps an interaction's events: one row per written batch (`event_batches`, schema v9),
 * holding the batch's events as one JSON array, instead of one row per event. An answer streams one event per
 * word and the runtime writes them in batches (runtime/interaction-log.ts), so a row per event made SQLite
 * insert and index a dozen small rows where one would do: on a short answer that was a third of the server's
 * CPU per create (bench/RESULTS.md as of session 8, 7523e52). Seqs stay exact: a batch covers `first_seq..last_seq`
 * with no gaps, batches of one interaction never overlap, and a read slices the batch a resume point falls in.
 *
 * The first batch may be the row's own (schema v10): a run that ends before its row is written — a model that
 * answers at once, most short answers — has its whole log written by the row's INSERT (`interactions.events_json`,
 * seqs 1 … `event_count`), which spares a statement, a table and an index write on every such create. Reads
 * treat it as the batch starting at seq 1. That batch is written with the row's final state, so its lifecycle
 * events are stored as references to the row's columns (store/lifecycle-refs.ts).
 */
import type { CanonicalEvent, InteractionStatus, Usage } from '@interplay/protocol';
import type { LifecycleFields } from '../runtime/lifecycle-events.ts';
import { decodeEvents, encodeEvents } from './event-encoding.ts';
import type { Row, Statements } from './statements.ts';
import { type NewEvent, type StoredEvent, StoreError } from './store.ts';

/**
 * Events per row: a long write (an end after failed batches, a large answer handed over at once) becomes
 * several rows, so a resume near its end parses a bounded slice, not the whole answer.
 */
export const EVENTS_PER_ROW = 256;

const SQL = {
  // Refused (no row inserted) when a seq of it is taken: by the row's own batch, or by the batch starting last
  // at or before the new batch's end (batches do not overlap, so it is the only one that can hold a seq of it).
  insert: `INSERT INTO event_batches (interaction_id, first_seq, last_seq, events_json)
           SELECT ?1, ?2, ?3, ?4
            WHERE COALESCE((SELECT last_seq FROM event_batches WHERE interaction_id = ?1 AND first_seq <= ?3
                             ORDER BY first_seq DESC LIMIT 1), 0) < ?2
              AND COALESCE((SELECT event_count FROM interactions WHERE id = ?1), 0) < ?2`,
  // The batch holding seq ?2 starts at the greatest first_seq not above it (a seek on the unique index); every
  // later batch follows in key order. The row's own batch, when it holds ?2, comes first (it starts at seq 1).
  // The row's own batch comes with the columns its lifecycle references are rebuilt from. The limit is `?3 + 0`:
  // SQLite's planner reads a bare bound LIMIT, which recompiles the statement whenever it runs (sqlite-store.ts).
  listFrom: `SELECT 1 AS first_seq, events_json, id, status, model, agent, created, updated, usage_json
               FROM interactions WHERE id = ?1 AND event_count >= ?2
             UNION ALL
             SELECT first_seq, events_json, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM event_batches
              WHERE interaction_id = ?1
                AND first_seq >= COALESCE((SELECT MAX(first_seq) FROM event_batches
                                            WHERE interaction_id = ?1 AND first_seq <= ?2), 0)
             ORDER BY first_seq LIMIT ?3 + 0`,
  covering: `SELECT 1 AS found FROM interactions WHERE id = ?1 AND event_count >= ?2
             UNION ALL
             SELECT 1 AS found FROM (SELECT last_seq FROM event_batches WHERE interaction_id = ?1 AND first_seq <= ?2
                                      ORDER BY first_seq DESC LIMIT 1)
              WHERE last_seq >= ?2`,
  last: `SELECT MAX(COALESCE((SELECT last_seq FROM event_batches WHERE interaction_id = ?1
                                ORDER BY first_seq DESC LIMIT 1), 0),
                    COALESCE((SELECT event_count FROM interactions WHERE id = ?1), 0)) AS last_seq`,
} as const;

export class EventBatches {
  readonly #sql: Statements;

  constructor(sql: Statements) {
    this.#sql = sql;
  }

  /**
   * The `events_json` and `event_count` columns of a row written with its whole log (`events`, seqs 1 …) and
   * its final state (`row`), or with no log. More than {@link EVENTS_PER_ROW} events do not fit one batch: see
   * {@link fitsRow}.
   */
  static rowColumns(events: readonly NewEvent[] | undefined, row: LifecycleFields): [string | null, number] {
    if (events === undefined || events.length === 0) return [null, 0];
    return [encodeEvents(events, 1, row), events.length];
  }

  /** Whether a log written at `first` can be the row's own batch. */
  static fitsRow(events: readonly NewEvent[], first: number): boolean {
    return first === 1 && events.length <= EVENTS_PER_ROW;
  }

  /** Writes `events` at seq `first`, `first + 1`, … (several rows inside the caller's transaction when long). */
  insert(id: string, events: readonly NewEvent[], first: number): void {
    for (let start = 0; start < events.length; start += EVENTS_PER_ROW) {
      const rows = events.slice(start, start + EVENTS_PER_ROW);
      const from = first + start;
      const json = encodeEvents(rows, from);
      const last = from + rows.length - 1;
      if (this.#sql.run(SQL.insert, id, from, last, json) === 0) {
        throw new StoreError('conflict', `Events ${from}…${last} of '${id}' overlap stored events.`);
      }
    }
  }

  /** Events after `afterSeq` in seq order, at most `limit` of them. */
  list(id: string, afterSeq: number, limit?: number): StoredEvent[] {
    const max = limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.trunc(limit));
    if (max === 0) return [];
    // Every row holds at least one event, so `max` rows are enough.
    const rowLimit = Number.isFinite(max) ? max : -1;
    const rows = this.#sql.all(SQL.listFrom, id, afterSeq + 1, rowLimit);
    const out: StoredEvent[] = [];
    for (const row of rows) {
      const firstSeq = Number(row.first_seq);
      const events = decodeEvents(
        String(row.events_json),
        firstSeq,
        row.id == null ? undefined : lifecycleFields(row),
      );
      for (let i = Math.max(0, afterSeq + 1 - firstSeq); i < events.length; i++) {
        if (out.length === max) return out;
        out.push(storedEvent(firstSeq + i, events[i] as CanonicalEvent));
      }
    }
    return out;
  }

  /** Whether the event at `seq` is stored. */
  has(id: string, seq: number): boolean {
    return this.#sql.get(SQL.covering, id, seq) !== undefined;
  }

  /** The highest stored seq (0 when none). */
  lastSeq(id: string): number {
    return Number(this.#sql.get(SQL.last, id)?.last_seq ?? 0);
  }
}

/** The columns of an interaction row its lifecycle events are built from. */
function lifecycleFields(row: Row): LifecycleFields {
  const fields: LifecycleFields = {
    id: String(row.id),
    status: String(row.status) as InteractionStatus,
    created: String(row.created),
    updated: String(row.updated),
  };
  if (row.model != null) fields.model = String(row.model);
  if (row.agent != null) fields.agent = String(row.agent);
  if (row.usage_json != null) fields.usage = JSON.parse(String(row.usage_json)) as Usage;
  return fields;
}

/** The event as the client saw it, with the `event_id` decoding gave it. */
function storedEvent(seq: number, event: CanonicalEvent): StoredEvent {
  return { seq, eventId: (event as { event_id: string }).event_id, event };
}

/**
 * Ending a run nobody runs any more, from its stored log: a crash (kill -9, power loss) left it `queued` /
 * `in_progress`, or (several replicas) its replica died and it cannot be resumed. It is marked `failed` (or
 * `cancelled`, when that was asked) with an error that says why, its log gets the closing events (streams
 * replaying it end properly), and its output is rebuilt from the events that did reach the store.
 */
import { type CanonicalEvent, type ErrorBody, StreamAccumulator } from '@interplay/protocol';
import type { Logger } from 'pino';
import type { InteractionRecord, Store, StoredEvent } from '../store/store.ts';
import { eventIdFor, isoSeconds } from './ids.ts';

export const RESTART_ERROR: ErrorBody = { code: 'api_error', message: 'interrupted by a server restart' };

/** Events read from the store per query. */
const PAGE = 1000;

/** How a run that nobody runs ends. */
export type Ending = { status: 'failed'; error: ErrorBody } | { status: 'cancelled' };

/**
 * Fails every unfinished interaction (one process owns the store; `onEnded` is told of each); returns how
 * many there were.
 */
export async function recoverUnfinished(
  store: Store,
  logger: Logger,
  retentionMs: number,
  onEnded?: (record: InteractionRecord) => void,
): Promise<number> {
  const rows = await store.listUnfinished();
  for (const record of rows) {
    try {
      await endInterrupted(store, record, { status: 'failed', error: RESTART_ERROR }, retentionMs);
      onEnded?.({ ...record, status: 'failed', error: { ...RESTART_ERROR } });
    } catch (err) {
      logger.error({ err, interaction: record.id }, 'could not recover an interrupted interaction');
    }
  }
  if (rows.length > 0) logger.warn({ count: rows.length }, 'failed interactions interrupted by a restart');
  return rows.length;
}

/** An interaction's whole stored log, in order. */
export async function readLog(store: Store, id: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (;;) {
    const page = await store.listEvents(id, events.at(-1)?.seq ?? 0, PAGE);
    events.push(...page);
    if (page.length < PAGE) return events;
  }
}

/** Ends `record` as `ending` says, after what its stored log holds. */
export async function endInterrupted(
  store: Store,
  record: InteractionRecord,
  ending: Ending,
  retentionMs: number,
): Promise<void> {
  const tracker = new StreamAccumulator();
  const log = await readLog(store, record.id);
  for (const e of log) tracker.push(e.event);
  const lastSeq = log.at(-1)?.seq ?? 0;
  const now = Date.now();
  const updated = isoSeconds(now);
  const output = record.output.length > 0 ? record.output : tracker.items;
  const usage = record.usage ?? tracker.interaction?.usage;
  const modelOrAgent = record.agent !== undefined ? { agent: record.agent } : { model: record.model };
  const error = ending.status === 'failed' ? { ...ending.error } : undefined;

  const events: CanonicalEvent[] = [];
  if (lastSeq === 0) {
    events.push({
      event_type: 'interaction.created',
      interaction: {
        id: record.id,
        status: 'in_progress',
        object: 'interaction',
        ...modelOrAgent,
        created: record.created,
        updated: record.created,
      },
    });
  }
  if (error) events.push({ event_type: 'error', error });
  events.push(
    { event_type: 'interaction.status_update', interaction_id: record.id, status: ending.status },
    {
      event_type: 'interaction.completed',
      interaction: {
        id: record.id,
        status: ending.status,
        object: 'interaction',
        ...modelOrAgent,
        created: record.created,
        updated,
        ...(usage ? { usage } : {}),
      },
    },
  );
  const closing = events.map((event, i) => {
    const eventId = eventIdFor(lastSeq + 1 + i);
    return { event: { ...event, event_id: eventId } as CanonicalEvent };
  });
  await store.finishInteraction(
    record.id,
    {
      status: ending.status,
      ...(error ? { error } : {}),
      output,
      usage,
      updated,
      expiresAt: Math.max(record.expiresAt, now + retentionMs),
    },
    closing,
    lastSeq + 1,
  );
}

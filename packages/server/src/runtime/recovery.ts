/**
 * Startup recovery: an interaction left `queued`/`in_progress` by a crash (kill -9, power loss) can never
 * finish, so it is marked `failed` with an `api_error`, its log gets `error` + terminal events (streams
 * replaying it end properly), and its output is rebuilt from the events that did reach the store.
 */
import { type CanonicalEvent, type ErrorBody, StreamAccumulator } from '@interplay/protocol';
import type { Logger } from 'pino';
import type { InteractionRecord, Store } from '../store/store.ts';
import { eventIdFor, isoSeconds } from './ids.ts';

export const RESTART_ERROR: ErrorBody = { code: 'api_error', message: 'interrupted by a server restart' };

/** Fails every unfinished interaction (`onEnded` is told of each); returns how many there were. */
export async function recoverUnfinished(
  store: Store,
  logger: Logger,
  retentionMs: number,
  onEnded?: (record: InteractionRecord) => void,
): Promise<number> {
  const rows = await store.listUnfinished();
  for (const record of rows) {
    try {
      await failInterrupted(store, record, retentionMs);
      onEnded?.({ ...record, status: 'failed', error: { ...RESTART_ERROR } });
    } catch (err) {
      logger.error({ err, interaction: record.id }, 'could not recover an interrupted interaction');
    }
  }
  if (rows.length > 0) logger.warn({ count: rows.length }, 'failed interactions interrupted by a restart');
  return rows.length;
}

async function failInterrupted(store: Store, record: InteractionRecord, retentionMs: number): Promise<void> {
  const tracker = new StreamAccumulator();
  let lastSeq = 0;
  for (;;) {
    const page = await store.listEvents(record.id, lastSeq, 1000);
    for (const e of page) {
      tracker.push(e.event);
      lastSeq = e.seq;
    }
    if (page.length < 1000) break;
  }
  const now = Date.now();
  const updated = isoSeconds(now);
  const output = record.output.length > 0 ? record.output : tracker.items;
  const usage = record.usage ?? tracker.interaction?.usage;
  const modelOrAgent = record.agent !== undefined ? { agent: record.agent } : { model: record.model };

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
  events.push(
    { event_type: 'error', error: { ...RESTART_ERROR } },
    { event_type: 'interaction.status_update', interaction_id: record.id, status: 'failed' },
    {
      event_type: 'interaction.completed',
      interaction: {
        id: record.id,
        status: 'failed',
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
    return { eventId, event: { ...event, event_id: eventId } as CanonicalEvent };
  });
  await store.finishInteraction(
    record.id,
    {
      status: 'failed',
      error: { ...RESTART_ERROR },
      output,
      usage,
      updated,
      expiresAt: Math.max(record.expiresAt, now + retentionMs),
    },
    closing,
    lastSeq + 1,
  );
}

/**
 * Startup recovery: an interaction left `queued`/`in_progress` by a crash (kill -9, power loss) can never
 * finish, so it is marked `failed` with an `api_error`, its log gets `error` + terminal events (streams
 * replaying it end properly), and its output is rebuilt from the events that did reach the store.
 */
import { type ErrorBody, StreamAccumulator } from '@interplay/protocol';
import type { Logger } from 'pino';
import type { InteractionRecord, Store } from '../store/store.ts';
import { isoSeconds } from './ids.ts';
import { InteractionLog } from './live-events.ts';

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
      await failInterrupted(store, logger, record, retentionMs);
      onEnded?.({ ...record, status: 'failed', error: { ...RESTART_ERROR } });
    } catch (err) {
      logger.error({ err, interaction: record.id }, 'could not recover an interrupted interaction');
    }
  }
  if (rows.length > 0) logger.warn({ count: rows.length }, 'failed interactions interrupted by a restart');
  return rows.length;
}

async function failInterrupted(
  store: Store,
  logger: Logger,
  record: InteractionRecord,
  retentionMs: number,
): Promise<void> {
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

  const log = new InteractionLog(record.id, store, logger, { startSeq: lastSeq });
  if (lastSeq === 0) {
    log.append({
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
  log.append({ event_type: 'error', error: { ...RESTART_ERROR } });
  log.append({ event_type: 'interaction.status_update', interaction_id: record.id, status: 'failed' });
  log.append({
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
  });
  log.end();
  await log.flushed();
  await store.updateInteraction(record.id, {
    status: 'failed',
    error: { ...RESTART_ERROR },
    output,
    usage,
    updated,
    expiresAt: Math.max(record.expiresAt, now + retentionMs),
  });
}

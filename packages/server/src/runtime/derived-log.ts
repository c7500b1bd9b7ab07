/**
 * The event log of an interaction stored without one (`eventLog: 'derived'`): a foreground, non-streaming
 * create that nobody could watch while it ran, so the server did not spend a write on events no one had seen.
 * A replay (`GET …?stream=true`) derives them from the final record: the lifecycle events, and each output
 * step as the engine streams steps (engine/step-writer.ts). The result is deterministic, so `event_id`s are
 * stable across replays and a `last_event_id` resume works as for a stored log. Text comes as one delta per
 * part rather than in the chunks the model produced — those were never sent to anyone.
 */
import type { CanonicalEvent } from '@interplay/protocol';
import type { EngineEvent } from '../engine/contract.ts';
import { StepWriter } from '../engine/step-writer.ts';
import type { MediaOutput } from '../providers/provider.ts';
import type { InteractionRecord, StoredEvent } from '../store/store.ts';
import { eventIdFor } from './ids.ts';
import { endEvents, startEvents } from './lifecycle-events.ts';

export function derivedLog(record: InteractionRecord): StoredEvent[] {
  const steps: EngineEvent[] = [];
  const writer = new StepWriter({ emit: (event) => steps.push(event) });
  for (const item of record.output) {
    if (item.type === 'model_output' && item.content !== undefined && item.content.length > 0) {
      for (const part of item.content) {
        if (part.type === 'text') writer.text(part.text, part.annotations);
        else writer.media(part as MediaOutput);
      }
      writer.close();
    } else if (item.type === 'thought' && typeof item.summary !== 'string') {
      writer.thought(item.signature, item.summary);
    } else {
      writer.item(item);
    }
  }
  const events: CanonicalEvent[] = [...startEvents(record), ...steps, ...endEvents(record)];
  return events.map((event, i) => {
    const eventId = eventIdFor(i + 1);
    return { seq: i + 1, eventId, event: { ...event, event_id: eventId } as CanonicalEvent };
  });
}

/** The derived log after `afterSeq`, as a feed (see event-feed.ts). */
export async function* derivedFeed(
  events: readonly StoredEvent[],
  afterSeq: number,
): AsyncGenerator<StoredEvent> {
  for (const event of events) if (event.seq > afterSeq) yield event;
}

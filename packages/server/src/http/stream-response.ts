/**
 * Sends an interaction's canonical events as the SSE stream of the caller's revision. Steps clients get the
 * stored events as they are. Legacy clients get them through the canonical→legacy converter, which is run
 * over the log from its start (it is stateful), sending only what follows the resume point.
 */
import { CanonicalToLegacyEvents, type Revision } from '@interplay/protocol';
import { type EventSink, LiveFeed } from '../runtime/event-feed.ts';
import { type EventCursor, eventIdFor } from '../runtime/ids.ts';
import type { StoredEvent } from '../store/store.ts';
import type { SseWriter } from './sse-writer.ts';

export async function pipeEvents(
  writer: SseWriter,
  feed: AsyncIterable<StoredEvent>,
  revision: Revision,
  resume?: EventCursor,
): Promise<void> {
  const send = revision === 'steps' ? stepsSink(writer) : legacySink(writer, resume);
  if (feed instanceof LiveFeed) {
    // A run live here: each event goes out from the log's append (no promise per event); the reader's abort
    // (the response closing) ends it.
    await feed.deliverTo(send);
  } else {
    for await (const e of feed) {
      if (writer.closed) break;
      const full = send(e);
      if (full) await full;
    }
  }
  writer.done();
}

/** Writes an event as it is; a promise when the socket is full. */
function stepsSink(writer: SseWriter): EventSink {
  return (e) => (writer.closed || writer.event(e.event) ? undefined : writer.drain());
}

/** Writes the legacy events an event converts to, skipping those up to the resume point. */
function legacySink(writer: SseWriter, resume: EventCursor | undefined): EventSink {
  const converter = new CanonicalToLegacyEvents();
  return (e) => {
    if (writer.closed) return undefined;
    const out = converter.push(e.event);
    let full = false;
    for (let k = 0; k < out.length; k++) {
      if (resume && (e.seq < resume.seq || (e.seq === resume.seq && k <= resume.sub))) continue;
      const legacy = out[k] as { event_type: string; event_id?: string };
      legacy.event_id = eventIdFor(e.seq, k);
      if (!writer.event(legacy)) full = true;
    }
    return full ? writer.drain() : undefined;
  };
}

/**
 * `event_id` placement when one stream is converted into the other.
 *
 * The server stores one revision's events and serves the other by replaying the converter from the start of
 * the log; a resume (`last_event_id`) skips every output up to the one carrying that id. So an id must sit
 * where everything derived from events up to it has been sent:
 * - one input → several outputs: only the LAST output carries the id (a client holding it has them all);
 * - one input → no output (buffered, e.g. function-call argument fragments): the id is dropped, since no
 *   client can have seen it; the replay rebuilds the buffer anyway.
 */

/** Copies of `events` with `event_id` only on the last one (none when `eventId` is undefined). */
export function placeEventId<T extends { event_id?: string }>(
  events: readonly T[],
  eventId: string | undefined,
): T[] {
  return events.map((event, i) => {
    const { event_id: _dropped, ...rest } = event;
    return (i === events.length - 1 && eventId !== undefined ? { ...rest, event_id: eventId } : rest) as T;
  });
}

/** An event's fields other than `known` ones (e.g. `usage` on step.stop), to carry onto its counterpart. */
export function eventExtras(
  event: Record<string, unknown>,
  known: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key !== 'event_type' && key !== 'event_id' && !known.includes(key)) out[key] = value;
  }
  return out;
}

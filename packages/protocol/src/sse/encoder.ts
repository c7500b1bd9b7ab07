/**
 * SSE framing as the Interactions API sends it: one `event:` line naming the event type, one `data:` line
 * with the JSON event (which carries `event_type` itself), a blank line. The stream ends with `[DONE]`.
 */

/** Terminator frame sent after the last event. */
export const SSE_DONE_FRAME = 'event: done\ndata: [DONE]\n\n';

/** A comment frame; clients ignore it, proxies see traffic. */
export const SSE_KEEPALIVE_FRAME = ': keep-alive\n\n';

/** The sentinel `data` value of the terminator frame. */
export const SSE_DONE_DATA = '[DONE]';

/** Encode one event as an SSE frame. `JSON.stringify` never emits raw newlines, so one data line suffices. */
export function encodeSseEvent(event: { event_type: string }): string {
  return `event: ${event.event_type}\ndata: ${JSON.stringify(event)}\n\n`;
}

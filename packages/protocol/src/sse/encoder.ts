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

/**
 * Encode one event as an SSE frame. `JSON.stringify` never emits raw newlines, so one data line suffices.
 *
 * @example
 * const event = { event_type: 'step.stop', index: 0 };
 * encodeSseEvent(event);
 * // 'event: step.stop\ndata: {"event_type":"step.stop","index":0}\n\n'
 */
export function encodeSseEvent(event: { event_type: string }): string {
  return encodeSseFrame(event).frame;
}

/** An event's SSE frame (as {@link encodeSseEvent} writes it) and whether it is known to be all ASCII. */
export interface SseFrame {
  frame: string;
  /**
   * True when every character is ASCII, so any single-byte encoding writes the same bytes as UTF-8 (a writer
   * may then skip measuring and converting it); false when it may not be (only text deltas are checked).
   */
  ascii: boolean;
}

/** {@link encodeSseEvent}, telling whether the frame is all ASCII (see {@link SseFrame.ascii}). */
export function encodeSseFrame(event: { event_type: string }): SseFrame {
  return (
    textDeltaFrame(event) ?? {
      frame: `event: ${event.event_type}\ndata: ${JSON.stringify(event)}\n\n`,
      ascii: false,
    }
  );
}

/** Whether `id` needs no JSON escaping: letters, digits, `_`, `.`, `:` and `-` (ours are `evt_<seq>`). */
function isPlainId(id: string): boolean {
  // A loop over a short id costs less than a regular expression's call.
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    const plain =
      (c >= 48 && c <= 58) || // 0-9 and ':'
      (c >= 65 && c <= 90) || // A-Z
      (c >= 97 && c <= 122) || // a-z
      c === 95 || // _
      c === 46 || // .
      c === 45; // -
    if (!plain) return false;
  }
  return true;
}

/**
 * Whether `JSON.stringify(text)` is `text` in quotes and all of it ASCII: printable ASCII (and DEL) but the
 * quote and the backslash. Most words a model streams are. The scan costs about what the call into
 * JSON.stringify did; what it buys is telling the writer that the frame needs no conversion to UTF-8.
 */
function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7f || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/**
 * The frame of `{event_type: 'step.delta', index, delta: {type: 'text', text}, event_id?}`, keys in that order,
 * nothing else; `undefined` for any other event. Most of a streamed answer is these, one per word or token:
 * serializing only the text (not the whole object) is the same bytes as `JSON.stringify` at a fraction of
 * its cost.
 */
function textDeltaFrame(event: { event_type: string }): SseFrame | undefined {
  if (event.event_type !== 'step.delta') return undefined;
  const { index, delta, event_id: id } = event as { index?: unknown; delta?: unknown; event_id?: unknown };
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) return undefined;
  if (typeof delta !== 'object' || delta === null) return undefined;
  const { type, text } = delta as { type?: unknown; text?: unknown };
  if (type !== 'text' || typeof text !== 'string') return undefined;
  if (id !== undefined && (typeof id !== 'string' || !isPlainId(id))) return undefined;
  // The keys, in order: exactly what JSON.stringify would write, or the general path.
  let n = 0;
  for (const key in event) {
    if (key !== (n === 0 ? 'event_type' : n === 1 ? 'index' : n === 2 ? 'delta' : 'event_id'))
      return undefined;
    n++;
  }
  if (n !== (id === undefined ? 3 : 4)) return undefined;
  n = 0;
  for (const key in delta) {
    if (key !== (n === 0 ? 'type' : 'text')) return undefined;
    n++;
  }
  if (n !== 2) return undefined;
  const tail = id === undefined ? '}}\n\n' : `},"event_id":"${id}"}\n\n`;
  // The rest of the frame is ASCII: the literal keys, the index's digits, a plain id.
  const ascii = isPlainAscii(text);
  const json = ascii ? `"${text}"` : JSON.stringify(text);
  return {
    frame: `event: step.delta\ndata: {"event_type":"step.delta","index":${index},"delta":{"type":"text","text":${json}${tail}`,
    ascii,
  };
}

/**
 * Server-sent events from a fetch body. `EventSource` cannot send the API key in a header, so the page reads
 * the stream itself: `event:`/`data:` lines, frames separated by a blank line, comments (keep-alives) skipped.
 */

/** Yields `{ event, data }` per frame until the body ends (normally or not: the caller tells by `[DONE]`). */
export async function* sseFrames(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer = normalizeNewlines(buffer + value);
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const frame = parseFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (frame) yield frame;
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** CRLF and CR become LF; a CR at the very end waits for the next chunk (it may be half of a CRLF). */
function normalizeNewlines(text) {
  const tail = text.endsWith('\r') ? '\r' : '';
  const head = tail ? text.slice(0, -1) : text;
  return head.replace(/\r\n?/g, '\n') + tail;
}

function parseFrame(block) {
  let event = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? undefined : { event, data: data.join('\n') };
}

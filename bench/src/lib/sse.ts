/** Reading SSE responses raw (undici), counting events without parsing more than needed. */
import { type Dispatcher, request } from 'undici';

export interface SseRead {
  status: number;
  /** ms from sending the request to the first body chunk (the first event). */
  firstEventMs: number;
  /** ms from sending the request to the end of the body. */
  totalMs: number;
  events: number;
  bytes: number;
  /** The stream ended with `[DONE]`. */
  done: boolean;
  firstEventType: string | undefined;
  lastEventType: string | undefined;
}

const EVENT_PREFIX = 'event: ';

/** Send a request whose answer is an SSE stream and read it to the end. */
export async function readSse(
  url: string,
  init: { method: 'GET' | 'POST'; body?: string; dispatcher?: Dispatcher },
): Promise<SseRead> {
  const start = performance.now();
  const res = await request(url, {
    method: init.method,
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body,
    ...(init.dispatcher ? { dispatcher: init.dispatcher } : {}),
  });
  let firstEventMs = Number.NaN;
  let events = 0;
  let bytes = 0;
  let tail = '';
  let firstEventType: string | undefined;
  let lastEventType: string | undefined;
  res.body.setEncoding('utf8');
  for await (const chunk of res.body as AsyncIterable<string>) {
    if (Number.isNaN(firstEventMs)) firstEventMs = performance.now() - start;
    bytes += Buffer.byteLength(chunk);
    const text = tail + chunk;
    // Count `event: ` at line starts; keep the unfinished last line for the next chunk.
    let pos = 0;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) break;
      if (text.startsWith(EVENT_PREFIX, pos)) {
        const type = text.slice(pos + EVENT_PREFIX.length, nl);
        if (type !== 'done') {
          events++;
          firstEventType ??= type;
          lastEventType = type;
        } else lastEventType = 'done';
      }
      pos = nl + 1;
    }
    tail = text.slice(pos);
  }
  return {
    status: res.statusCode,
    firstEventMs,
    totalMs: performance.now() - start,
    events,
    bytes,
    done: lastEventType === 'done',
    firstEventType,
    lastEventType,
  };
}

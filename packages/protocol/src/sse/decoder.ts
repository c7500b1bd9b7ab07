/**
 * Incremental SSE decoder. Gives the same frames whatever the chunking: UTF-8 sequences split across chunks
 * (a streaming TextDecoder), CRLF or LF line ends, comment and keep-alive lines (eventsource-parser).
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';
import { SSE_DONE_DATA } from './encoder.ts';

/** What a stream yields, in order. */
export type SseItem =
  /** A data frame whose JSON parsed to an object. `sseEvent` is the `event:` line (informational). */
  | { kind: 'event'; data: Record<string, unknown>; sseEvent?: string; id?: string }
  /** The `[DONE]` sentinel. */
  | { kind: 'done' }
  /**
   * A frame or line that is not a valid event: non-JSON data, or a bare JSON line outside SSE framing
   * (Gemini sends content-filter refusals that way). `json` holds the parsed value when it was JSON.
   */
  | { kind: 'malformed'; raw: string; json?: unknown; reason: string };

export class SseDecoder {
  readonly #text = new TextDecoder('utf-8');
  readonly #parser: EventSourceParser;
  #out: SseItem[] = [];

  constructor() {
    this.#parser = createParser({
      onEvent: (message) => {
        if (message.data === SSE_DONE_DATA) {
          this.#out.push({ kind: 'done' });
          return;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(message.data);
        } catch {
          this.#out.push({ kind: 'malformed', raw: message.data, reason: 'data is not JSON' });
          return;
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          this.#out.push({
            kind: 'malformed',
            raw: message.data,
            json: parsed,
            reason: 'data is not a JSON object',
          });
          return;
        }
        this.#out.push({
          kind: 'event',
          data: parsed as Record<string, unknown>,
          ...(message.event === undefined ? {} : { sseEvent: message.event }),
          ...(message.id === undefined ? {} : { id: message.id }),
        });
      },
      onError: (error) => {
        // An unknown field is a line that is not SSE, e.g. `{"error":{...}}` on its own.
        if (error.type === 'unknown-field') {
          const raw = `${error.field ?? ''}:${error.value ?? ''}`;
          let json: unknown;
          try {
            json = JSON.parse(raw);
          } catch {
            json = undefined;
          }
          this.#out.push({
            kind: 'malformed',
            raw,
            ...(json === undefined ? {} : { json }),
            reason: 'line outside SSE framing',
          });
        }
      },
    });
  }

  /** Feed a chunk; returns every item completed by it. */
  push(chunk: Uint8Array | string): SseItem[] {
    this.#parser.feed(typeof chunk === 'string' ? chunk : this.#text.decode(chunk, { stream: true }));
    return this.#drain();
  }

  /** Flush at end of input: a final frame without its blank line still counts. */
  end(): SseItem[] {
    // Two line ends complete a pending line and dispatch a pending frame; after a clean end they are no-ops.
    this.#parser.feed(`${this.#text.decode()}\n\n`);
    this.#parser.reset();
    return this.#drain();
  }

  #drain(): SseItem[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }
}

/** Decode an entire byte or string stream. */
export async function* decodeSse(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseItem> {
  const decoder = new SseDecoder();
  for await (const chunk of source) yield* decoder.push(chunk);
  yield* decoder.end();
}

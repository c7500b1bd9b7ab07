/** Reading a request body with a size limit, and parsing it as a JSON object. */
import type { IncomingMessage } from 'node:http';
import { InteractionsError } from '@interplay/protocol';

/** Deepest JSON nesting accepted (tool parameter schemas nest, but never this deep). */
export const MAX_JSON_DEPTH = 256;

export class BodyTooLargeError extends InteractionsError {
  constructor(limit: number) {
    super('invalid_request', `Request body exceeds the limit of ${limit} bytes.`, { status: 413 });
  }
}

/**
 * Buffer the whole body, failing fast with a 413 when `content-length` or the bytes received pass `limit`.
 * On overflow the rest of the body is drained (discarded) so the client can still read the response.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const onData = (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      // The request object outlives the read (until its response is written): let go of the chunks.
      req.off('data', onData);
      if (failed) return;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
      chunks.length = 0;
    });
    req.once('error', (err) => {
      if (failed) return;
      failed = true;
      reject(new InteractionsError('invalid_request', 'The request body could not be read.', { cause: err }));
    });
  });
}

/**
 * Whether JSON text nests `[`/`{` deeper than `max`, counting only outside strings. Guards `JSON.parse` and
 * every recursive walk after it against hostile nesting. A request is mostly string text (instructions,
 * descriptions): each string is skipped with one `indexOf` to its closing quote rather than read character
 * by character, which made this scan cost as much as the parse itself on a 2.6 KB agent request.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = closingQuote(text, i);
      if (i === -1) return false; // unterminated: JSON.parse rejects it
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

/** Index of the quote closing the string opened at `open` (one not escaped by a backslash), or -1. */
function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 92 /* \ */) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}

/** Parse a body that must be one JSON object; errors name the problem and where it is. */
export function parseJsonObject(buf: Buffer): Record<string, unknown> {
  const text = buf.toString('utf8');
  if (text.trim() === '') {
    throw new InteractionsError('invalid_request', 'The request body is empty; expected a JSON object.');
  }
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw new InteractionsError(
      'invalid_request',
      `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new InteractionsError('invalid_request', `Invalid JSON payload received: ${detail}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new InteractionsError('invalid_request', `The request body must be a JSON object, got ${kind}.`);
  }
  return value as Record<string, unknown>;
}

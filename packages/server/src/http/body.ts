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
    // Plain listeners, left in place: a request emits 'end' once and nothing after it but 'close' or 'error',
    // which find the promise settled. (`once` wraps each listener and removes it again: two allocations and
    // two removals per request.)
    req.on('data', onData);
    req.on('end', () => {
      if (failed) return;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
      // The request object outlives the read (until its response is written): let go of the chunks.
      chunks.length = 0;
    });
    req.on('error', (err) => {
      if (failed) return;
      failed = true;
      reject(new InteractionsError('invalid_request', 'The request body could not be read.', { cause: err }));
    });
  });
}

/**
 * Whether a parsed JSON value nests arrays and objects deeper than `max`. Guards every recursive walk after
 * the parse (validation, copies, serialization) against hostile nesting; `JSON.parse` itself does not recurse
 * (V8 parses with a heap stack), so checking the parsed value is as safe as scanning the text first, and much
 * cheaper: a request is mostly string text, which this never reads. The walk stops at `max` levels, so its own
 * recursion is bounded too.
 */
export function jsonNestsDeeper(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (max === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null && jsonNestsDeeper(item, max - 1)) return true;
    }
    return false;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) {
    const item = object[key];
    if (typeof item === 'object' && item !== null && jsonNestsDeeper(item, max - 1)) return true;
  }
  return false;
}

/** Parse a body that must be one JSON object; errors name the problem and where it is. */
export function parseJsonObject(buf: Buffer): Record<string, unknown> {
  const text = buf.toString('utf8');
  if (text.trim() === '') {
    throw new InteractionsError('invalid_request', 'The request body is empty; expected a JSON object.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new InteractionsError('invalid_request', `Invalid JSON payload received: ${detail}`);
  }
  if (jsonNestsDeeper(value, MAX_JSON_DEPTH)) {
    throw new InteractionsError(
      'invalid_request',
      `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new InteractionsError('invalid_request', `The request body must be a JSON object, got ${kind}.`);
  }
  return value as Record<string, unknown>;
}

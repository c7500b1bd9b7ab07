/**
 * Formats: Gemini understands `date-time` and `enum` on strings, `float`/`double` on numbers and
 * `int32`/`int64` on integers. Other formats move into the description. A `pattern` next to a format is the
 * format's own machine pattern (zod adds one for email, date-time, …) and is dropped: the format says it.
 */
import { appendDescription, type JsonSchema } from './json-schema.ts';

const SUPPORTED: Record<string, readonly string[]> = {
  string: ['date-time', 'enum'],
  number: ['float', 'double'],
  integer: ['int32', 'int64'],
};

const PHRASES: Record<string, string> = {
  email: 'Must be an email address.',
  uri: 'Must be a URL.',
  url: 'Must be a URL.',
  'uri-reference': 'Must be a URI reference.',
  uuid: 'Must be a UUID.',
  guid: 'Must be a GUID.',
  date: 'Must be a date as YYYY-MM-DD.',
  time: 'Must be a time of day as HH:MM:SS.',
  duration: 'Must be an ISO 8601 duration (e.g. P3DT4H).',
  ipv4: 'Must be an IPv4 address.',
  ipv6: 'Must be an IPv6 address.',
  hostname: 'Must be a host name.',
  'date-time': 'Must be an ISO 8601 date-time (e.g. 2025-01-31T09:30:00Z).',
  base64: 'Must be base64-encoded.',
  cuid: 'Must be a CUID.',
  cuid2: 'Must be a CUID2.',
  ulid: 'Must be a ULID.',
  nanoid: 'Must be a Nano ID.',
  emoji: 'Must be a single emoji.',
};

export function formats(node: JsonSchema): JsonSchema {
  if (typeof node.format !== 'string') return node;
  const out: JsonSchema = { ...node };
  delete out.pattern;
  const type = typeof node.type === 'string' ? node.type : '';
  if (SUPPORTED[type]?.includes(node.format)) return out;
  delete out.format;
  return appendDescription(out, PHRASES[node.format] ?? `Format: ${node.format}.`);
}

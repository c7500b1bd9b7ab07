/**
 * The check a received Interaction resource gets before it is converted: the types of the fields the
 * canonical model and its readers rely on (ids, status, the items and their calls, text, usage), each named
 * by its path when wrong. Everything else is kept as sent: unknown fields and item types, open enums, and
 * the request echoes (`tools`, `generation_config`, …) beyond their container type.
 *
 * Why not the protocol's lenient zod schema: it walks every field of every echo and copies the whole value,
 * and on a tool loop's answer that was most of the client CPU the Runner spends beyond a raw undici loop
 * (bench `tool-loop`; docs/decisions.md, Client). What it checks beyond this, a server's echo of our own
 * request, nobody here reads. Requests (what the server accepts) keep the strict zod schemas.
 */
import { describeValue, formatIssuePath, type Revision } from '@interplay/protocol';

export type ReadResult<T> = { ok: true; value: T } | { ok: false; message: string };

type Path = (string | number)[];

/** Thrown inside the walk, caught once at the top: the first field that is wrong. */
class WrongField extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: Path, expected: string, value: unknown): never {
  const where = formatIssuePath(path);
  if (value === undefined) throw new WrongField(`'${where}' is required.`);
  const at = where ? ` at '${where}'` : '';
  throw new WrongField(`Expected ${expected}${at}, got ${describeValue(value)}.`);
}

function object(value: unknown, path: Path): Record<string, unknown> {
  if (!isObject(value)) fail(path, 'an object', value);
  return value;
}

function string(owner: Record<string, unknown>, key: string, path: Path, required = false): void {
  const value = owner[key];
  if (typeof value === 'string' || (value === undefined && !required)) return;
  fail([...path, key], 'a string', value);
}

function optional(
  owner: Record<string, unknown>,
  key: string,
  path: Path,
  check: (value: unknown, path: Path) => void,
): void {
  if (owner[key] !== undefined) check(owner[key], [...path, key]);
}

function arrayOf(value: unknown, path: Path, each: (item: unknown, path: Path) => void): void {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  for (let i = 0; i < value.length; i++) each(value[i], [...path, i]);
}

/** Usage: an object whose token counts, when present, are numbers (the loop adds them up). */
function usage(value: unknown, path: Path): void {
  const u = object(value, path);
  for (const key of Object.keys(u)) {
    if (key.startsWith('total_') || key === 'initial_input_tokens') {
      if (typeof u[key] !== 'number') fail([...path, key], 'a number', u[key]);
    }
  }
}

/**
 * One item (a step, or a legacy content): tagged by a string `type`; the ids that pair calls with results
 * and a call's name are strings; a function call carries its `id`, `name` and object `arguments`; text is a
 * string; nested `content` holds items too.
 */
function item(value: unknown, path: Path): void {
  const it = object(value, path);
  string(it, 'type', path, true);
  const call = it.type === 'function_call';
  string(it, 'id', path, call);
  string(it, 'name', path, call);
  string(it, 'call_id', path);
  if (call) object(it.arguments, [...path, 'arguments']);
  if (it.type === 'text') string(it, 'text', path, true);
  optional(it, 'content', path, (content, at) => {
    // A function result's `result` may be a plain string or value; `content` of other items is a list.
    if (Array.isArray(content)) arrayOf(content, at, item);
  });
}

/** The echoed input (`include_input=true`): text, one content or a list of contents or turns. */
function input(value: unknown, path: Path): void {
  if (typeof value === 'string') return;
  if (Array.isArray(value)) arrayOf(value, path, object);
  else object(value, path);
}

const TEXT_FIELDS = [
  'model',
  'agent',
  'created',
  'updated',
  'previous_interaction_id',
  'system_instruction',
  'service_tier',
];
const OBJECT_FIELDS = ['generation_config', 'agent_config', 'webhook_config'];

/**
 * Check `body` as an Interaction resource of `revision`; the value is `body` itself (not a copy).
 *
 * @example
 * const read = readInteraction(JSON.parse(text), 'steps');
 * if (!read.ok) throw new Error(read.message); // "Expected a string at 'steps[0].name', got an integer."
 */
export function readInteraction<T>(body: unknown, revision: Revision): ReadResult<T> {
  try {
    const root = object(body, []);
    string(root, 'id', [], true);
    string(root, 'status', [], true);
    for (const key of TEXT_FIELDS) string(root, key, []);
    for (const key of OBJECT_FIELDS) optional(root, key, [], object);
    optional(root, 'usage', [], usage);
    optional(root, 'tools', [], (tools, at) => arrayOf(tools, at, item));
    optional(root, 'errors', [], (errors, at) => arrayOf(errors, at, object));
    optional(root, 'input', [], input);
    optional(root, revision === 'legacy' ? 'outputs' : 'steps', [], (items, at) => arrayOf(items, at, item));
    return { ok: true, value: body as T };
  } catch (error) {
    if (error instanceof WrongField) return { ok: false, message: error.message };
    throw error;
  }
}

/**
 * `{{…}}` substitution in respond items: `{{input}}`, `{{last.result}}`, `{{last.name}}`, any `{{last.a.b}}`
 * path, and named captures of `when.input` / `when.history`. Applied to every string, recursively. Each
 * substituted value is cut to {@link FILL_VALUE_CHARS}: the values come from the client (its input, its
 * function results), and an answer is streamed word by word, so a 20 MB `{{input}}` would be millions of
 * events.
 */
import type { Item } from '@interplay/protocol';

export interface TemplateContext {
  input: string;
  captures: Record<string, string>;
  last: Item | undefined;
  items: readonly Item[];
}

/** Longest value one placeholder puts into an answer; a longer one ends with `… [cut]`. */
export const FILL_VALUE_CHARS = 16_384;

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;
/** The same pattern without `g`, so `test` keeps no position between calls. */
const HAS_PLACEHOLDER = new RegExp(PLACEHOLDER.source);

/** Whether any string in `value` has a placeholder: values without one need no `fill` (they are never written to). */
export function hasPlaceholders(value: unknown): boolean {
  if (typeof value === 'string') return HAS_PLACEHOLDER.test(value);
  if (Array.isArray(value)) return value.some(hasPlaceholders);
  if (value && typeof value === 'object') return Object.values(value).some(hasPlaceholders);
  return false;
}

/** Copies `value`, filling placeholders in every string. Unknown names stay as written, to be noticed. */
export function fill<T>(value: T, ctx: TemplateContext): T {
  if (typeof value === 'string') return fillString(value, ctx) as T;
  if (Array.isArray(value)) return value.map((v) => fill(v, ctx)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, ctx)])) as T;
  }
  return value;
}

function fillString(text: string, ctx: TemplateContext): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = lookup(name, ctx);
    if (value === undefined) return whole;
    return value.length > FILL_VALUE_CHARS ? `${value.slice(0, FILL_VALUE_CHARS)}… [cut]` : value;
  });
}

function lookup(name: string, ctx: TemplateContext): string | undefined {
  if (name === 'input') return ctx.input;
  if (Object.hasOwn(ctx.captures, name)) return ctx.captures[name];
  if (name !== 'last' && !name.startsWith('last.')) return undefined;
  const path = name.split('.').slice(1);
  if (path.length === 1 && path[0] === 'name') return lastName(ctx) ?? '';
  let value: unknown = ctx.last;
  for (const key of path)
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return stringify(value);
}

/** A result often omits `name`; take it from the call it answers. */
function lastName(ctx: TemplateContext): string | undefined {
  const last = ctx.last;
  if (!last) return undefined;
  if (typeof last.name === 'string') return last.name;
  const call = ctx.items.find((item) => item.id !== undefined && item.id === last.call_id);
  return typeof call?.name === 'string' ? call.name : undefined;
}

/** Strings as they are, lists of text parts joined, anything else as JSON. */
function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every(isTextPart)) return value.map((part) => part.text).join('');
  return JSON.stringify(value);
}

function isTextPart(value: unknown): value is { type: 'text'; text: string } {
  const part = value as { type?: unknown; text?: unknown } | null;
  return !!part && part.type === 'text' && typeof part.text === 'string';
}

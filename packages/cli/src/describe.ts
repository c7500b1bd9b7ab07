/**
 * One-line descriptions of tool steps (function calls, built-in tool calls and their results), shared by
 * `run`, `watch` and the demo. They read whatever shape the step has: our server's and live Gemini's differ in
 * details (e.g. a search result is a list of hits plus a suggestions entry).
 */
import { oneLine } from './terminal.ts';

type Fields = Record<string, unknown>;

const asFields = (value: unknown): Fields =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : {};

/** Strings as they are, text parts joined, anything else as JSON. */
export function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((p) => asFields(p).type === 'text'))
    return value.map((p) => String(asFields(p).text ?? '')).join('');
  return JSON.stringify(value);
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** `get_weather({"location":"Paris"})`, `google_search: "TPU history"`, `code_execution (python)`, … */
export function describeCall(callType: string, name: string | undefined, args: unknown, max = 160): string {
  const a = asFields(args);
  switch (callType) {
    case 'function_call':
      return oneLine(`${name ?? 'function'}(${JSON.stringify(args ?? {})})`, max);
    case 'google_search_call': {
      const queries = strings(a.queries);
      return oneLine(`google_search: ${queries.map((q) => `"${q}"`).join(', ') || '(no query)'}`, max);
    }
    case 'url_context_call': {
      const urls = strings(a.urls);
      return oneLine(`url_context: read ${urls.length} page${urls.length === 1 ? '' : 's'}`, max);
    }
    case 'code_execution_call':
      return `code_execution (${typeof a.language === 'string' ? a.language.toLowerCase() : 'python'})`;
    case 'mcp_server_tool_call':
      return oneLine(`${name ?? 'mcp tool'}(${JSON.stringify(args ?? {})}) [hosted MCP]`, max);
    default:
      return oneLine(`${callType.replace(/_call$/, '')}${name ? ` ${name}` : ''}`, max);
  }
}

/** `3 results (first: …)`, `5 pages read (5 ok)`, the function's result, the program's output, … */
export function describeResult(resultType: string, result: unknown, isError: boolean, max = 160): string {
  const prefix = isError ? 'error: ' : '';
  switch (resultType) {
    case 'google_search_result': {
      const hits = (Array.isArray(result) ? result : [])
        .map(asFields)
        .filter((h) => typeof h.url === 'string');
      const first = hits[0];
      const title = first ? String(first.title ?? first.url) : '';
      return oneLine(
        `${prefix}${hits.length} result${hits.length === 1 ? '' : 's'}${title ? ` (top: ${title})` : ''}`,
        max,
      );
    }
    case 'url_context_result': {
      const pages = (Array.isArray(result) ? result : []).map(asFields);
      const ok = pages.filter((p) => /success/i.test(String(p.status ?? ''))).length;
      return `${prefix}${pages.length} page${pages.length === 1 ? '' : 's'} fetched (${ok} ok)`;
    }
    default:
      return oneLine(`${prefix}${stringify(result)}`, max);
  }
}

/** The short name of a tool step's type: `google_search_call` → `google_search`. */
export function toolOf(type: string): string {
  return type.replace(/_(call|result)$/, '');
}

/** A thought summary on one line: `Planning the research — I will search for: …` (heading, then the rest). */
export function thoughtLine(text: string, max = 180): string {
  const [head = '', ...rest] = text.trim().split(/\n+/);
  const detail = rest.join(' ').trim();
  return oneLine(detail ? `${head.trim()} — ${detail}` : head, max);
}

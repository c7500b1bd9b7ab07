/**
 * Built-in tool results as plain text, for providers whose model has no native form for them (Gemini
 * `generateContent`, OpenAI-compatible chat): send this text as the tool's response.
 */
import type { Item } from '@interplay/protocol';

/** The text a model should read for a built-in tool result, or undefined for other items. */
export function builtinResultText(item: Item): string | undefined {
  switch (item.type) {
    case 'code_execution_result':
      return typeof item.result === 'string' ? item.result : JSON.stringify(item.result);
    case 'url_context_result':
      return pages(item);
    case 'google_search_result':
      return hits(item);
    case 'tool_search_result': {
      const found = Array.isArray(item.result) ? (item.result as { name?: string }[]) : [];
      const names = found.map((f) => f.name).filter(Boolean);
      return names.length === 0 ? 'no tools found' : `loaded: ${names.join(', ')}`;
    }
    default:
      return undefined;
  }
}

interface Entry {
  url?: string;
  status?: string;
  title?: string;
  text?: string;
  error?: string;
  snippet?: string;
  final_url?: string;
}

function entries(item: Item): Entry[] {
  const result = item.result;
  return (Array.isArray(result) ? result : result ? [result] : []) as Entry[];
}

function pages(item: Item): string {
  const errorMessage = typeof item.error_message === 'string' ? item.error_message : undefined;
  const blocks = entries(item).map((page) => {
    const head = `## ${page.title ? `${page.title} — ` : ''}${page.url ?? '(no url)'} [${page.status ?? 'unknown'}]`;
    if (page.status === 'success') return `${head}\n${page.text ?? ''}`;
    return `${head}\n(not read: ${page.error ?? page.status})`;
  });
  return [errorMessage, ...blocks].filter(Boolean).join('\n\n');
}

function hits(item: Item): string {
  if (item.is_error) return `search failed: ${String(item.error_message ?? 'unknown error')}`;
  const list = entries(item).filter((hit) => hit.url);
  if (list.length === 0) return 'no results';
  return list
    .map((hit, i) => `[${i + 1}] ${hit.title ?? hit.url}\n${hit.url}\n${hit.snippet ?? ''}`)
    .join('\n\n');
}

/** A fetched body → readable text: HTML converted, other text passed through, binary refused. */
import { convert } from 'html-to-text';

export type PageKind = 'html' | 'text' | 'binary';

const TEXT_TYPES =
  /^(text\/|application\/(json|xml|javascript|ecmascript|x-javascript|ld\+json|rss\+xml|atom\+xml|x-ndjson|x-yaml|yaml|toml|csv)\b)|\+(json|xml)\b/;

export function pageKind(contentType: string | undefined, body: Uint8Array): PageKind {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type && TEXT_TYPES.test(type)) return 'text';
  if (type && type !== 'application/octet-stream') return 'binary';
  return sniff(body); // no type (or a generic one): look at the bytes
}

function sniff(body: Uint8Array): PageKind {
  const head = body.subarray(0, 1024);
  if (head.includes(0)) return 'binary';
  const start = new TextDecoder().decode(head).trimStart().slice(0, 64).toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html') ? 'html' : 'text';
}

export function decode(body: Uint8Array, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body); // unknown label
  }
}

export function htmlTitle(html: string): string | undefined {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  if (!title) return undefined;
  const text = convert(title, { wordwrap: false }).replace(/\s+/g, ' ').trim();
  return text || undefined;
}

export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      ...['script', 'style', 'noscript', 'svg', 'iframe', 'template', 'head'].map((selector) => ({
        selector,
        format: 'skip',
      })),
    ],
  })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const PAYWALL_HINTS =
  /paywall|subscribe to (read|continue)|subscription required|subscribers? only|members? only|premium (content|article)|sign in to (read|continue)|log in to (read|continue)/i;

/** HTTP 402, or 401/403 whose page talks like a paywall. A heuristic; other refusals are plain errors. */
export function looksLikePaywall(status: number, text: string): boolean {
  if (status === 402) return true;
  return (status === 401 || status === 403) && PAYWALL_HINTS.test(text);
}

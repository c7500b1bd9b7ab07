/**
 * A local website for a search corpus: every document served as an HTML page on 127.0.0.1, and the corpus
 * rewritten to point at those pages. With it, offline research really reads pages — `google_search` finds a
 * document, `url_context` fetches its page over HTTP (allow `127.0.0.1` for url_context) — instead of
 * failing on the corpus's made-up `*.example` hosts and falling back to search snippets.
 *
 * @example
 * const site = await startCorpusSite(loadCorpus('corpus.jsonl'));
 * const tools = [googleSearchTool({ backend: new CorpusSearch(site.documents) }),
 *                urlContextTool({ allowHosts: ['127.0.0.1'] })];
 * // https://techhistory.example/google-tpu/timeline → http://127.0.0.1:PORT/techhistory.example/google-tpu/timeline
 * await site.close();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CorpusDocument } from '../builtins/google-search/corpus-backend.ts';

export interface CorpusSite {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The corpus with each `url` rewritten to its local page. */
  documents: CorpusDocument[];
  /** Local page URL → the document's original URL. */
  originalUrl(localUrl: string): string | undefined;
  close(): Promise<void>;
}

export async function startCorpusSite(
  documents: readonly CorpusDocument[],
  options: { host?: string; port?: number } = {},
): Promise<CorpusSite> {
  const host = options.host ?? '127.0.0.1';
  const pages = new Map<string, CorpusDocument>();
  for (const doc of documents) pages.set(localPath(doc.url), doc);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const doc = pages.get(path);
    if (!doc || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const html =
      `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title>` +
      `<link rel="canonical" href="${escapeHtml(doc.url)}"></head><body><p>${escapeHtml(doc.text)}</p></body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(req.method === 'HEAD' ? '' : html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  const local = documents.map((doc) => ({ ...doc, url: `${url}${localPath(doc.url)}` }));
  const original = new Map(local.map((doc, i) => [doc.url, documents[i]!.url]));
  return {
    url,
    documents: local,
    originalUrl: (localUrl) => original.get(localUrl),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `https://a.example/x/y?q` → `/a.example/x/y` (query dropped: corpus URLs are pages). */
function localPath(url: string): string {
  const u = new URL(url);
  return `/${u.host}${u.pathname}`.replace(/\/+$/, '') || '/';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

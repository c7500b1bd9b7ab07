/**
 * Pages `url_context` answers from memory instead of the network: the documents of the offline search corpus,
 * whose made-up hosts (`techhistory.example`, …) do not exist. Only a URL that is exactly a document's (scheme,
 * host, path; query and fragment ignored) is answered this way — every other URL, redirect targets included,
 * goes through the network and the address policy as before, so nothing reachable changes.
 *
 * @example
 * const pages = corpusPages(loadCorpus('corpus.jsonl'));
 * const tool = urlContextTool({ localPages: pages }); // https://techhistory.example/… reads the corpus text
 */
import type { CorpusDocument } from '../google-search/corpus-backend.ts';

export interface LocalPage {
  title: string;
  text: string;
}

export interface LocalPages {
  /** The page at `url`, or undefined when it is not one of these pages. */
  page(url: URL): LocalPage | undefined;
}

export function corpusPages(documents: readonly CorpusDocument[]): LocalPages {
  const pages = new Map<string, LocalPage>();
  for (const doc of documents) pages.set(pageKey(new URL(doc.url)), { title: doc.title, text: doc.text });
  return { page: (url) => pages.get(pageKey(url)) };
}

/** `https://A.example/x/` and `https://a.example/x?q#f` are the same page; `http:` is another. */
function pageKey(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

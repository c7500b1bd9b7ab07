/** The bundled demo corpus for the offline `google_search` (TPU history, Euro 2024, Super Bowls, physics, …). */
import { fileURLToPath } from 'node:url';

/** Absolute path of `assets/search-corpus.jsonl`; pass it as `searchCorpusPath` or `--search-corpus`. */
export const DEMO_SEARCH_CORPUS = fileURLToPath(
  new URL('../../../assets/search-corpus.jsonl', import.meta.url),
);

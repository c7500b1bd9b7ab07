/**
 * The report: the synthesis prompt (question, notes, sources), the list of sources appended to the model's
 * text, and the `url_citation` annotations — which span of the report each source supports, from the `[n]`
 * markers the model was told to write (and word overlap where it wrote none). Offsets are UTF-8 bytes.
 */
import type { UrlCitation } from '@interplay/protocol';
import { urlCitations } from '../../builtins/google-search/citations.ts';
import type { Source } from './sources.ts';

/** Characters of each source's text given to the writer. */
const SOURCE_CHARS = 6_000;

export const WRITER_INSTRUCTION =
  'You are the writer of a research agent. Write a clear, well-organized report that answers the question ' +
  'using only the numbered sources given. After each claim, cite its source number in square brackets, ' +
  'e.g. [2]. Do not invent sources and do not add a list of sources at the end: it is appended for you.';

/** The prompt of the synthesis call (its first lines are fixed: offline scripts match on them). */
export function synthesisPrompt(
  question: string,
  notes: readonly string[],
  sources: readonly Source[],
  visualization: 'auto' | 'off',
): string {
  return [
    'Write the research report.',
    `Question: ${question}`,
    `Visualization: ${visualization === 'auto' ? 'allowed' : 'off'}`,
    'Notes:',
    ...(notes.length > 0 ? notes : ['- (no sources were found)']),
    'End of notes.',
    'Sources:',
    ...sources.map(
      (s) =>
        `[${s.n}] ${s.title} — ${s.url}${s.read ? '' : ' (search snippet only)'}\n${s.text.slice(0, SOURCE_CHARS)}`,
    ),
  ].join('\n');
}

/** The list appended to the report: the sources its text cites (all of them if it cites none). */
export function sourcesSection(body: string, sources: readonly Source[]): string {
  if (sources.length === 0) return '';
  const cited = new Set<number>();
  for (const m of body.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g))
    for (const n of m[1]!.split(',')) cited.add(Number(n.trim()));
  const listed = sources.some((s) => cited.has(s.n)) ? sources.filter((s) => cited.has(s.n)) : sources;
  return `\n\nSources:\n${listed.map((s) => `[${s.n}] ${s.title} — ${s.url}`).join('\n')}`;
}

/** `url_citation`s of the report body (the text before the sources list), in byte offsets. */
export function reportCitations(body: string, sources: readonly Source[]): UrlCitation[] {
  return urlCitations(
    body,
    sources.map((s) => ({ url: s.url, title: s.title, text: s.text })),
  );
}

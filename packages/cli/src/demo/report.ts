/**
 * A research report, shortened for the terminal: its first lines, its sources and its citations
 * (`url_citation` annotations: UTF-8 byte offsets into the report text, end exclusive).
 */
import type { FlowStepResult } from '@interplay/core';
import { oneLine } from '../terminal.ts';
import type { DemoEnv } from './env.ts';
import type { DemoOutput } from './output.ts';

const FIRST_LINES = 8;
const SOURCES_HEADING = /^\s*(?:#+\s*)?\**(?:sources|references)\**:?\s*$/im;

interface Citation {
  url: string;
  title?: string;
  start_index?: number;
  end_index?: number;
}

export function citationsOf(result: FlowStepResult): Citation[] {
  const last = result.output.findLast((item) => item.type === 'model_output');
  const content = (last?.content ?? []) as { annotations?: (Citation & { type?: string })[] }[];
  return content.flatMap((c) => c.annotations ?? []).filter((a) => a.type === 'url_citation' && a.url);
}

export function printReport(result: FlowStepResult, env: DemoEnv, out: DemoOutput): void {
  const text = result.text;
  const heading = SOURCES_HEADING.exec(text);
  const body = heading ? text.slice(0, heading.index) : text;
  const sourceLines = heading
    ? text
        .slice(heading.index + heading[0].length)
        .split('\n')
        .filter((l) => l.trim())
    : [];
  const lines = body.split('\n').filter((l) => l.trim());
  const citations = citationsOf(result);

  out.line(
    `report: ${text.length} chars, ${lines.length} lines, ${citations.length} citations — first lines:`,
  );
  for (const l of lines.slice(0, FIRST_LINES)) out.line(`│ ${oneLine(l, 116)}`);
  if (lines.length > FIRST_LINES) out.line(`│ … ${lines.length - FIRST_LINES} more lines`);

  const sources =
    sourceLines.length > 0
      ? sourceLines.map((l) => localToOriginal(l.trim(), env))
      : unique(citations).map((c, i) => `[${i + 1}] ${c.title ?? ''} — ${env.displayUrl(c.url)}`);
  out.line(`sources (${sources.length}):`);
  for (const s of sources) out.line(`  ${oneLine(s, 140)}`);

  // An example: the first citation that covers a sentence (not a heading).
  const bytes = Buffer.from(text, 'utf8');
  const spanOf = (c: Citation) =>
    c.start_index !== undefined && c.end_index !== undefined
      ? bytes.subarray(c.start_index, c.end_index).toString('utf8').trim()
      : '';
  const example = citations.find((c) => /^[^#\s]/.test(spanOf(c)) && spanOf(c).split(/\s+/).length >= 5);
  if (citations.length > 0)
    out.line(
      `citations: ${citations.length} url_citation annotations` +
        (example
          ? `, e.g. "${oneLine(spanOf(example).replace(/^[-*]\s+/, ''), 70)}" → ${env.displayUrl(example.url)}`
          : ''),
    );
  if (env.offline)
    out.note('offline, the corpus pages are served on 127.0.0.1; shown with their corpus URLs');
}

function unique(citations: Citation[]): Citation[] {
  const seen = new Map<string, Citation>();
  for (const c of citations) if (!seen.has(c.url)) seen.set(c.url, c);
  return [...seen.values()];
}

/** Offline, pages are served on 127.0.0.1: show the corpus's own URL instead. */
function localToOriginal(line: string, env: DemoEnv): string {
  return line.replace(/https?:\/\/127\.0\.0\.1:\d+\/\S+/g, (url) => env.displayUrl(url));
}

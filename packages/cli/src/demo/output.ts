/**
 * The demo's output: a heading per part, indented lines, the model's answer streamed as it arrives, and the
 * live progress of a background research run (one updating line on a TTY, plain timestamped lines otherwise).
 */
import type { FlowEvent } from '@interplay/core';
import { describeCall, describeResult } from '../describe.ts';
import { bold, dim, type Out, oneLine, StatusLine, seconds } from '../terminal.ts';

const INDENT = '  ';

export class DemoOutput {
  readonly out: Out;
  #answering = false;
  #midLine = false;
  /** Whether answer text streamed since the last `endAnswer`. */
  #streamed = false;

  constructor(out: Out) {
    this.out = out;
  }

  title(text: string): void {
    this.out.write(`${bold(this.out, text)}\n`);
  }

  heading(n: number, title: string, subtitle: string): void {
    this.#endLine();
    this.out.write(`\n${bold(this.out, `━━ ${n}. ${title}`)} ${dim(this.out, `— ${subtitle}`)}\n`);
  }

  line(text: string): void {
    this.#endLine();
    this.out.write(`${INDENT}${text.replace(/\n/g, `\n${INDENT}`)}\n`);
  }

  note(text: string): void {
    this.line(dim(this.out, `(${text})`));
  }

  /** A piece of the model's answer, printed as it streams in. */
  answerDelta(delta: string, label = 'model'): void {
    if (!delta) return;
    if (!this.#answering) {
      this.#endLine();
      this.out.write(`${INDENT}${bold(this.out, `${label}:`)} `);
      this.#answering = true;
    }
    this.#streamed = true;
    this.out.write(delta.replace(/\n/g, `\n${INDENT}`));
    this.#midLine = !delta.endsWith('\n');
  }

  /** The answer is complete: print it whole if nothing streamed. */
  endAnswer(text: string, label = 'model'): void {
    if (!this.#streamed && text) this.answerDelta(text, label);
    this.#streamed = false;
    this.#endLine();
  }

  #endLine(): void {
    if (this.#midLine) this.out.write('\n');
    this.#midLine = false;
    this.#answering = false;
  }
}

/** Live progress of one Deep Research step, from the flow's progress events. */
export class ResearchProgress {
  readonly #line: StatusLine;
  #status = 'starting';
  #phase = 'starting';
  #queries = 0;
  #hits = 0;
  #pagesRead = 0;
  #reportChars = 0;

  constructor(out: Out, label: string) {
    this.#line = new StatusLine(out, (ms) => `⏳ ${label} · ${this.summary(ms)}`, INDENT);
  }

  /** `Reading the sources · 3 searches · 5 pages read · report 2.1k chars · 4.2s` */
  summary(ms: number): string {
    const parts = [this.#status === 'in_progress' ? this.#phase : this.#status];
    parts.push(`${this.#queries} searches${this.#hits > 0 ? ` (${this.#hits} hits)` : ''}`);
    parts.push(`${this.#pagesRead} pages read`);
    if (this.#reportChars > 0) parts.push(`report ${(this.#reportChars / 1000).toFixed(1)}k chars`);
    parts.push(seconds(ms));
    return parts.join(' · ');
  }

  get counts(): { searches: number; pagesRead: number } {
    return { searches: this.#queries, pagesRead: this.#pagesRead };
  }

  push(e: FlowEvent): void {
    switch (e.type) {
      case 'status':
        this.#status = e.status;
        this.#line.note(`status: ${e.status}`);
        return;
      case 'thought_summary': {
        const [head = '', ...rest] = e.text.trim().split(/\n+/);
        this.#phase = oneLine(head, 60);
        const detail = oneLine(rest.join(' '), 110);
        this.#line.note(`thought: ${this.#phase}${detail ? ` — ${detail}` : ''}`);
        return;
      }
      case 'tool_call': {
        const args = e.arguments as { queries?: unknown } | undefined;
        if (e.callType === 'google_search_call' && Array.isArray(args?.queries))
          this.#queries += args.queries.length;
        this.#line.note(`→ ${describeCall(e.callType, e.name, e.arguments, 110)}`);
        return;
      }
      case 'tool_result': {
        if (e.resultType === 'google_search_result' && Array.isArray(e.result))
          this.#hits += e.result.filter((h) => typeof (h as { url?: unknown })?.url === 'string').length;
        if (e.resultType === 'url_context_result' && Array.isArray(e.result))
          this.#pagesRead += e.result.filter((p) =>
            /success/i.test(String((p as { status?: unknown })?.status)),
          ).length;
        this.#line.note(`← ${describeResult(e.resultType, e.result, e.isError, 110)}`);
        return;
      }
      case 'text_delta':
        if (this.#reportChars === 0) {
          this.#phase = 'Writing the report';
          this.#line.note('writing the report…');
        }
        this.#reportChars += e.delta.length; // the TTY line shows it at its next redraw
        return;
      default:
        return;
    }
  }

  /** Replace the live line with a final one. */
  done(status: string): void {
    this.#status = status;
    this.#line.stop(`${status === 'completed' ? '✓' : '✗'} ${this.summary(this.#line.elapsedMs)}`);
  }
}

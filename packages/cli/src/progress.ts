/**
 * Progress of one interaction for `run` and `watch`, from its stream's canonical events: the answer's text goes
 * to stdout as it arrives; status, thought summaries and tool steps go to stderr (a status line that updates
 * in place on a TTY, timestamped lines otherwise), so `$(interplay run "…")` captures just the answer.
 */
import {
  answerText,
  type CanonicalEvent,
  type CanonicalInteraction,
  type InteractionStatus,
  type Item,
  isToolCallType,
  type ToolStepFields,
  ToolStepStream,
} from '@interplay/protocol';
import { describeCall, describeResult, thoughtLine } from './describe.ts';
import { type Out, StatusLine, seconds } from './terminal.ts';

type Fields = Record<string, unknown> & { type: string };

export interface ProgressOptions {
  stdout: Out;
  stderr: Out;
  /** What the status line says before the status, e.g. `deep-research-pro-preview-12-2025`. */
  label: string;
  /** Say how to attach (`interplay watch ID`) when the interaction id is known. Default true. */
  attachHint?: boolean;
}

export class ProgressPrinter {
  readonly #stdout: Out;
  readonly #stderr: Out;
  readonly #line: StatusLine;
  /** The summary text of each thought step under way, by step index. */
  readonly #thoughts = new Map<number, string>();
  readonly #toolSteps = new ToolStepStream();
  #id: string | undefined;
  #status: InteractionStatus | undefined;
  #text = '';
  #midLine = false;
  #tools = 0;
  readonly #attachHint: boolean;

  constructor(options: ProgressOptions) {
    this.#attachHint = options.attachHint ?? true;
    this.#stdout = options.stdout;
    this.#stderr = options.stderr;
    this.#line = new StatusLine(options.stderr, (ms) => {
      const tools = this.#tools > 0 ? ` · ${this.#tools} tool step${this.#tools === 1 ? '' : 's'}` : '';
      return `${options.label} · ${this.#status ?? 'starting'}${tools} · ${seconds(ms)}`;
    });
  }

  /** Everything streamed to stdout so far. */
  get text(): string {
    return this.#text;
  }

  get interactionId(): string | undefined {
    return this.#id;
  }

  /** Say which interaction this is (once), with how to attach to it from elsewhere. */
  announce(id: string, status?: InteractionStatus): void {
    if (this.#id !== undefined) return;
    this.#id = id;
    const hint = this.#attachHint ? ` · attach from elsewhere: interplay watch ${id}` : '';
    this.log(`interaction ${id}${status ? ` (${status})` : ''}${hint}`);
    if (status) this.status(status);
  }

  status(status: InteractionStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    if (this.#line.tty) this.#line.refresh();
    else this.log(`status: ${status}`);
  }

  /** One stream event's canonical events. */
  push(events: readonly CanonicalEvent[]): void {
    for (const event of events) this.#push(event);
  }

  #push(event: CanonicalEvent): void {
    switch (event.event_type) {
      case 'interaction.created':
      case 'interaction.completed':
        this.announce(event.interaction.id);
        if (event.interaction.status) this.status(event.interaction.status);
        return;
      case 'interaction.status_update':
        this.status(event.status);
        return;
      case 'error':
        this.log(`error: ${event.error?.code ?? 'error'}: ${event.error?.message ?? ''}`);
        return;
      case 'step.start': {
        const step = event.step as Fields;
        if (step.type === 'model_output') {
          for (const part of (step.content ?? []) as Fields[])
            if (part.type === 'text' && typeof part.text === 'string') this.#write(part.text);
          return;
        }
        if (step.type === 'thought') this.#thoughts.set(event.index, summaryText(step.summary));
        break;
      }
      case 'step.delta': {
        const delta = event.delta as Fields;
        if (delta.type === 'text' && typeof delta.text === 'string') {
          this.#write(delta.text);
          return;
        }
        const thought = this.#thoughts.get(event.index);
        if (delta.type === 'thought_summary' && thought !== undefined) {
          this.#thoughts.set(event.index, thought + summaryText([delta.content]));
          return;
        }
        break;
      }
      case 'step.stop': {
        const thought = this.#thoughts.get(event.index);
        this.#thoughts.delete(event.index);
        if (thought?.trim()) this.log(`thought: ${thoughtLine(thought)}`);
        break;
      }
    }
    const step = this.#toolSteps.push(event);
    if (step) this.#printTool(step);
  }

  #printTool(s: ToolStepFields): void {
    this.#tools += 1;
    if (isToolCallType(s.type)) {
      this.log(`→ ${describeCall(s.type, typeof s.name === 'string' ? s.name : undefined, s.arguments)}`);
    } else {
      this.log(`← ${describeResult(s.type, s.result, s.is_error === true)}`);
    }
  }

  #write(text: string): void {
    if (!text) return;
    if (this.#text === '') this.#line.stop(); // the answer has the screen now
    this.#text += text;
    this.#stdout.write(text);
    this.#midLine = !text.endsWith('\n');
  }

  /** A progress line on stderr, after ending the answer's current line (stdout and stderr often share a screen). */
  log(line: string): void {
    if (this.#midLine) {
      this.#stdout.write('\n');
      this.#midLine = false;
    }
    this.#line.log(line);
  }

  /**
   * The end: the answer (when nothing was streamed), then one line with the final status, the interaction id,
   * usage and citations. Returns the exit code: 0 when the interaction completed, 1 otherwise.
   */
  finish(final: CanonicalInteraction): number {
    this.announce(final.id);
    this.status(final.status);
    const answer = answerText(final.output);
    if (this.#text === '' && answer) this.#write(answer);
    if (this.#midLine) this.#stdout.write('\n');
    this.#midLine = false;
    this.#line.stop();
    for (const item of final.output)
      if (item.type === 'function_call' && final.status === 'requires_action')
        this.log(
          `waiting for a function result: ${describeCall('function_call', item.name as string, item.arguments)}`,
        );
    const parts = [`${final.status === 'completed' ? '✓' : '✗'} ${final.status}`, `interaction ${final.id}`];
    const citations = citationCount(final.output);
    if (citations > 0) parts.push(`${citations} citations`);
    if (final.usage?.total_tokens !== undefined) parts.push(`${final.usage.total_tokens} tokens`);
    parts.push(seconds(this.#line.elapsedMs));
    const error = final.errors?.[0];
    if (error) parts.push(`${error.code}: ${error.message}`);
    this.#stderr.write(`${parts.join(' · ')}\n`);
    return final.status === 'completed' ? 0 : 1;
  }

  /** Stop the status line (on errors and Ctrl-C). */
  stop(): void {
    if (this.#midLine) this.#stdout.write('\n');
    this.#midLine = false;
    this.#line.stop();
  }
}

function summaryText(summary: unknown): string {
  const list = Array.isArray(summary) ? summary : summary === undefined ? [] : [summary];
  return list
    .map((s) => {
      if (typeof s === 'string') return s;
      const part = s as { type?: unknown; text?: unknown } | undefined;
      return part?.type === 'text' && typeof part.text === 'string' ? part.text : '';
    })
    .join('');
}

/** How many `url_citation` annotations the last `model_output` carries. */
export function citationCount(output: readonly Item[]): number {
  const last = output.findLast((item) => item.type === 'model_output');
  const content = (last?.content ?? []) as { annotations?: { type?: string }[] }[];
  return content.flatMap((c) => c.annotations ?? []).filter((a) => a.type === 'url_citation').length;
}

/**
 * Turns provider output into the steps stream: step.start / step.delta / step.stop with output indexes 0, 1, 2…
 * and keeps `output` (the produced items) in step with the events, so `output[i]` is the step at index `i`.
 */
import type {
  Annotation,
  FunctionCallStep,
  ImageContent,
  Item,
  MediaContent,
  ModelOutputStep,
  StepDelta,
  TextContent,
} from '@interplay/protocol';
import type { MediaOutput } from '../providers/provider.ts';
import type { EngineEvent, TurnSink } from './contract.ts';

/** Size of the `arguments_delta` fragments a function call's JSON arguments are streamed in. */
const ARGUMENT_FRAGMENT = 32;

interface ModelOutput extends ModelOutputStep {
  content: MediaContent[];
}

export class StepWriter {
  readonly output: Item[] = [];
  readonly #sink: TurnSink;
  /** The `model_output` step still open for more text/media, if any. */
  #open: { index: number; item: ModelOutput } | undefined;
  /** The `function_call` step whose arguments are still streaming, if any. */
  #call: { index: number; item: FunctionCallStep } | undefined;

  /** `done`: the steps a turn taken over had completed; the next step gets index `done.length`. */
  constructor(sink: TurnSink, done: readonly Item[] = []) {
    this.#sink = sink;
    for (const item of done) this.output.push(structuredClone(item));
    // The runtime reads a running turn's output here rather than rebuilding it from the events.
    sink.shareOutput?.(this.output);
  }

  text(text: string, annotations?: Annotation[]): void {
    if (!text && !annotations?.length) return;
    const { index, item } = this.#modelOutput();
    const last = item.content.at(-1);
    const part: TextContent = last?.type === 'text' ? last : { type: 'text', text: '' };
    if (part !== last) item.content.push(part);
    part.text += text;
    if (text) this.#delta(index, { type: 'text', text });
    if (annotations?.length) {
      part.annotations = [...(part.annotations ?? []), ...annotations];
      this.#delta(index, { type: 'text_annotation_delta', annotations });
    }
  }

  media(content: MediaOutput): void {
    const { index, item } = this.#modelOutput();
    item.content.push({ ...content });
    this.#delta(index, { ...content } as StepDelta);
  }

  thought(signature: string | undefined, summary: (TextContent | ImageContent)[] | undefined): void {
    this.close();
    const index = this.#push({
      type: 'thought',
      ...(signature === undefined ? {} : { signature }),
      ...(summary === undefined ? {} : { summary }),
    });
    // As Gemini streams it: the summary on start with an empty signature, the signature as a delta.
    this.#emit({
      event_type: 'step.start',
      index,
      step: { type: 'thought', ...(summary ? { summary } : {}), signature: '' },
    });
    if (signature) this.#delta(index, { type: 'thought_signature', signature });
    this.#emit({ event_type: 'step.stop', index });
  }

  /**
   * A thought whose summary streams as `thought_summary` deltas, one per part (as Deep Research streams its
   * progress): a start without summary, the deltas, then the signature (if any) and the stop.
   */
  thoughtSummary(summary: (TextContent | ImageContent)[], signature?: string): void {
    this.close();
    const index = this.#push({
      type: 'thought',
      summary: summary.map((part) => ({ ...part })),
      ...(signature === undefined ? {} : { signature }),
    });
    this.#emit({ event_type: 'step.start', index, step: { type: 'thought' } });
    for (const content of summary) this.#delta(index, { type: 'thought_summary', content: { ...content } });
    if (signature) this.#delta(index, { type: 'thought_signature', signature });
    this.#emit({ event_type: 'step.stop', index });
  }

  /** A complete step. A `function_call` streams its arguments as `arguments_delta` JSON fragments. */
  item(item: Item): void {
    this.close();
    const index = this.#push(item);
    if (item.type === 'function_call') {
      this.#emit({ event_type: 'step.start', index, step: { ...item, arguments: {} } });
      for (const fragment of fragments(JSON.stringify(item.arguments ?? {}))) {
        this.#delta(index, { type: 'arguments_delta', arguments: fragment });
      }
    } else {
      this.#emit({ event_type: 'step.start', index, step: structuredClone(item) });
    }
    this.#emit({ event_type: 'step.stop', index });
  }

  /**
   * Opens a `function_call` step whose arguments arrive later ({@link callDelta}, {@link callEnd}): as an
   * upstream streams them, so a watcher sees the call while the model still writes it.
   */
  callStart(id: string, name: string, signature?: string): void {
    this.close();
    const item: FunctionCallStep = {
      type: 'function_call',
      id,
      name,
      arguments: {},
      ...(signature === undefined ? {} : { signature }),
    };
    const index = this.#push(item);
    this.#emit({ event_type: 'step.start', index, step: { ...item, arguments: {} } });
    this.#call = { index, item };
  }

  /** The next JSON fragment of the open call's arguments. */
  callDelta(fragment: string): void {
    if (!this.#call || fragment === '') return;
    this.#delta(this.#call.index, { type: 'arguments_delta', arguments: fragment });
  }

  /** Completes the open call with its parsed arguments and stops its step. Returns the call, if one was open. */
  callEnd(args: Record<string, unknown>): FunctionCallStep | undefined {
    const call = this.#call;
    if (!call) return undefined;
    call.item.arguments = args;
    this.#call = undefined;
    this.#emit({ event_type: 'step.stop', index: call.index });
    return call.item;
  }

  /** Ends the open `model_output` step (or streaming call), if any. */
  close(): void {
    if (this.#call) {
      this.#emit({ event_type: 'step.stop', index: this.#call.index });
      this.#call = undefined;
    }
    if (!this.#open) return;
    this.#emit({ event_type: 'step.stop', index: this.#open.index });
    this.#open = undefined;
  }

  #modelOutput(): { index: number; item: ModelOutput } {
    if (this.#open) return this.#open;
    this.close(); // a streaming call still open ends before the text after it
    const item: ModelOutput = { type: 'model_output', content: [] };
    const index = this.#push(item);
    this.#emit({ event_type: 'step.start', index, step: { type: 'model_output', content: [] } });
    this.#open = { index, item };
    return this.#open;
  }

  #push(item: Item): number {
    this.output.push(item);
    return this.output.length - 1;
  }

  #delta(index: number, delta: StepDelta): void {
    this.#emit({ event_type: 'step.delta', index, delta });
  }

  #emit(event: EngineEvent): void {
    this.#sink.emit(event);
  }
}

/** Splits by code point so a fragment never ends inside a surrogate pair. */
function fragments(json: string): string[] {
  const chars = Array.from(json);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += ARGUMENT_FRAGMENT)
    out.push(chars.slice(i, i + ARGUMENT_FRAGMENT).join(''));
  return out;
}

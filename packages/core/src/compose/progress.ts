/**
 * One step's server stream (canonical events) → flow progress events: status changes, thought summaries,
 * text deltas, and every tool call/result step — server-executed ones (`google_search_call`, …) as well as
 * `function_call`s — once complete.
 */
import type { CanonicalEvent } from '@interplay/protocol';
import { isLifecycleEvent, StreamInteraction } from '../run/stream-interaction.ts';
import type { FlowEvent } from './events.ts';

type Fields = Record<string, unknown> & { type: string };

interface OpenStep {
  step: Fields;
  /** `function_call` argument fragments. */
  fragments: string[];
  emitted: boolean;
}

const isCall = (type: string) => type.endsWith('_call');
const isResult = (type: string) => type.endsWith('_result');

export class ProgressMapper {
  readonly #flowId: string;
  readonly #step: string;
  readonly #emit: (event: FlowEvent) => void;
  readonly #interaction: StreamInteraction;
  readonly #open = new Map<number, OpenStep>();

  constructor(flowId: string, step: string, interactionId: string | undefined, emit: (e: FlowEvent) => void) {
    this.#flowId = flowId;
    this.#step = step;
    this.#interaction = new StreamInteraction(interactionId);
    this.#emit = emit;
  }

  get interactionId(): string | undefined {
    return this.#interaction.id;
  }

  /** Maps one canonical event; `eventId` is the server's cursor of the wire event it came from. */
  push(event: CanonicalEvent, eventId: string | undefined): void {
    const base = { flowId: this.#flowId, step: this.#step };
    const cursor = () => this.#interaction.cursor(eventId);
    if (isLifecycleEvent(event)) {
      const change = this.#interaction.statusChange(event);
      if (change) this.#emit({ ...base, type: 'status', ...change, ...cursor() });
      return;
    }
    const tool = (open: OpenStep) => {
      if (open.emitted) return;
      open.emitted = true;
      const s = open.step;
      if (isCall(s.type)) {
        const args =
          s.type === 'function_call' && open.fragments.length > 0 ? joined(open.fragments) : s.arguments;
        this.#emit({
          ...base,
          type: 'tool_call',
          callType: s.type,
          id: String(s.id ?? ''),
          ...(typeof s.name === 'string' ? { name: s.name } : {}),
          arguments: args ?? {},
          ...cursor(),
        });
      } else {
        this.#emit({
          ...base,
          type: 'tool_result',
          resultType: s.type,
          callId: String(s.call_id ?? ''),
          ...(typeof s.name === 'string' ? { name: s.name } : {}),
          isError: s.is_error === true,
          result: s.result,
          ...cursor(),
        });
      }
    };
    switch (event.event_type) {
      case 'step.start': {
        const step = event.step as Fields;
        if (step.type === 'thought') {
          for (const text of summaryTexts(step.summary))
            this.#emit({ ...base, type: 'thought_summary', text, ...cursor() });
        } else if (step.type === 'model_output') {
          for (const part of (step.content ?? []) as Fields[])
            if (part.type === 'text' && typeof part.text === 'string' && part.text)
              this.#emit({ ...base, type: 'text_delta', delta: part.text, ...cursor() });
        } else if (isCall(step.type) || isResult(step.type)) {
          const open: OpenStep = { step: { ...step }, fragments: [], emitted: false };
          this.#open.set(event.index, open);
          if (complete(step)) tool(open);
        }
        return;
      }
      case 'step.delta': {
        const delta = event.delta as Fields;
        if (delta.type === 'text' && typeof delta.text === 'string' && delta.text) {
          this.#emit({ ...base, type: 'text_delta', delta: delta.text, ...cursor() });
        } else if (delta.type === 'thought_summary') {
          for (const text of summaryTexts([delta.content]))
            this.#emit({ ...base, type: 'thought_summary', text, ...cursor() });
        } else {
          const open = this.#open.get(event.index);
          if (!open || open.emitted) return;
          if (delta.type === 'arguments_delta') open.fragments.push(String(delta.arguments ?? ''));
          else {
            const { type: _type, ...fields } = delta;
            Object.assign(open.step, fields);
          }
        }
        return;
      }
      case 'step.stop': {
        const open = this.#open.get(event.index);
        this.#open.delete(event.index);
        if (open) tool(open);
        return;
      }
      default:
        return;
    }
  }
}

/** A call or result step that already carries its data (the server sends built-in tool steps whole). */
function complete(step: Fields): boolean {
  if (step.type === 'function_call') return false; // its arguments stream as arguments_delta
  if (isCall(step.type))
    return step.arguments !== undefined && Object.keys(step.arguments as object).length > 0;
  return step.result !== undefined;
}

function joined(fragments: string[]): unknown {
  const text = fragments.join('');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function summaryTexts(summary: unknown): string[] {
  const list = Array.isArray(summary) ? summary : summary === undefined ? [] : [summary];
  return list.flatMap((s) => {
    if (typeof s === 'string') return s ? [s] : [];
    const part = s as { type?: unknown; text?: unknown } | undefined;
    return part?.type === 'text' && typeof part.text === 'string' && part.text ? [part.text] : [];
  });
}

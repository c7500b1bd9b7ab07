/**
 * One step's server stream (canonical events) → flow progress events: status changes, thought summaries,
 * text deltas, and every tool call/result step — server-executed ones (`google_search_call`, …) as well as
 * `function_call`s — once complete.
 */
import {
  type CanonicalEvent,
  isToolCallType,
  type ToolStepFields,
  ToolStepStream,
} from '@interplay/protocol';
import { isLifecycleEvent, StreamInteraction } from '../run/stream-interaction.ts';
import type { FlowEvent } from './events.ts';

type Fields = Record<string, unknown> & { type: string };

export class ProgressMapper {
  readonly #flowId: string;
  readonly #step: string;
  readonly #emit: (event: FlowEvent) => void;
  readonly #interaction: StreamInteraction;
  readonly #tools = new ToolStepStream();

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
        }
        break;
      }
      case 'step.delta': {
        const delta = event.delta as Fields;
        if (delta.type === 'text' && typeof delta.text === 'string' && delta.text) {
          this.#emit({ ...base, type: 'text_delta', delta: delta.text, ...cursor() });
          return;
        }
        if (delta.type === 'thought_summary') {
          for (const text of summaryTexts([delta.content]))
            this.#emit({ ...base, type: 'thought_summary', text, ...cursor() });
          return;
        }
        break;
      }
    }
    const step = this.#tools.push(event);
    if (step) this.#emit({ ...base, ...toolEvent(step), ...cursor() });
  }
}

/** The flow event of a complete tool step, less what every event of the step carries. */
function toolEvent(s: ToolStepFields) {
  const name = typeof s.name === 'string' ? { name: s.name } : {};
  if (isToolCallType(s.type)) {
    return {
      type: 'tool_call',
      callType: s.type,
      id: String(s.id ?? ''),
      ...name,
      arguments: s.arguments ?? {},
    } as const;
  }
  return {
    type: 'tool_result',
    resultType: s.type,
    callId: String(s.call_id ?? ''),
    ...name,
    isError: s.is_error === true,
    result: s.result,
  } as const;
}

function summaryTexts(summary: unknown): string[] {
  const list = Array.isArray(summary) ? summary : summary === undefined ? [] : [summary];
  return list.flatMap((s) => {
    if (typeof s === 'string') return s ? [s] : [];
    const part = s as { type?: unknown; text?: unknown } | undefined;
    return part?.type === 'text' && typeof part.text === 'string' && part.text ? [part.text] : [];
  });
}

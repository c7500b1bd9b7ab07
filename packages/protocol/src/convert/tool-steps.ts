/**
 * Tool steps — calls and results, of functions and of built-in tools — put together from a canonical stream,
 * each handed over once, complete: a built-in step that arrives whole at its `step.start`, any other at its
 * `step.stop`, with a function call's `arguments_delta` fragments joined. For progress displays (the CLI's
 * lines, the flows' progress events); {@link StreamAccumulator} rebuilds the whole output instead.
 *
 * @example
 * const tools = new ToolStepStream();
 * for (const event of events) {
 *   const step = tools.push(event);
 *   if (step && isToolCallType(step.type)) console.log(`→ ${step.type}`, step.arguments);
 * }
 */
import type { CanonicalEvent } from '../canonical.ts';

/** A tool step's fields as streamed (the display reads what it knows of them). */
export type ToolStepFields = Record<string, unknown> & { type: string };

export const isToolCallType = (type: string): boolean => type.endsWith('_call');
export const isToolResultType = (type: string): boolean => type.endsWith('_result');

interface OpenStep {
  step: ToolStepFields;
  /** `arguments_delta` fragments: pieces of one JSON text. */
  fragments: string[];
  handedOver: boolean;
}

export class ToolStepStream {
  readonly #open = new Map<number, OpenStep>();

  /** Reads one event; returns the tool step it completes, if any (one event completes at most one). */
  push(event: CanonicalEvent): ToolStepFields | undefined {
    switch (event.event_type) {
      case 'step.start': {
        const step = event.step as ToolStepFields;
        if (!isToolCallType(step.type) && !isToolResultType(step.type)) return undefined;
        const open: OpenStep = { step: { ...step }, fragments: [], handedOver: false };
        this.#open.set(event.index, open);
        return arrivedWhole(step) ? handOver(open) : undefined;
      }
      case 'step.delta': {
        const open = this.#open.get(event.index);
        if (!open || open.handedOver) return undefined;
        const delta = event.delta as ToolStepFields;
        if (delta.type === 'arguments_delta') open.fragments.push(String(delta.arguments ?? ''));
        else {
          const { type: _type, ...fields } = delta;
          Object.assign(open.step, fields);
        }
        return undefined;
      }
      case 'step.stop': {
        const open = this.#open.get(event.index);
        this.#open.delete(event.index);
        return open ? handOver(open) : undefined;
      }
      default:
        return undefined;
    }
  }
}

/** The step, once: its arguments the joined fragments when any came (parsed, or the text when not JSON). */
function handOver(open: OpenStep): ToolStepFields | undefined {
  if (open.handedOver) return undefined;
  open.handedOver = true;
  if (open.fragments.length === 0) return open.step;
  return { ...open.step, arguments: parsedOrText(open.fragments.join('')) };
}

/** A call or result step that already carries its data (the server sends built-in tool steps whole). */
function arrivedWhole(step: ToolStepFields): boolean {
  if (step.type === 'function_call') return false; // its arguments stream as arguments_delta
  if (isToolCallType(step.type))
    return step.arguments !== undefined && Object.keys(step.arguments as object).length > 0;
  return step.result !== undefined;
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

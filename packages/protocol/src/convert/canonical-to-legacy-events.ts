/**
 * Canonical (steps) stream → legacy stream, one event at a time.
 *
 * Each step becomes legacy blocks: a `model_output` step one block per content (a delta switching media type
 * opens the next block), a thought one thought block, a call or result one block whose single delta is the
 * complete content. `content.start` carries only `{type}`; data in a step.start becomes deltas. A function
 * call is held until step.stop, when its argument fragments form the complete call legacy sends in one delta.
 * `user_input` steps have no legacy block and are dropped. Block indexes count from 0 in the order blocks open.
 */
import type { CanonicalEvent } from '../canonical.ts';
import type { MediaContent } from '../wire/content.ts';
import { isMediaContent } from '../wire/content.ts';
import type {
  LegacyContentStartEvent,
  LegacyDelta,
  LegacyEvent,
  StepDeltaEvent,
  StepStartEvent,
  StepStopEvent,
} from '../wire/events.ts';
import type { Step } from '../wire/step.ts';
import { impliedStep, summaryItems } from './apply-step-delta.ts';
import { eventExtras, placeEventId } from './event-ids.ts';
import { stepsEventInteractionToLegacy } from './event-interaction.ts';
import { joinArguments } from './function-arguments.ts';

type Fields = Record<string, unknown> & { type: string };

interface OpenStep {
  /** The step so far (calls and results accumulate their deltas here). */
  step: Fields;
  /** Function call argument fragments, joined at step.stop. */
  fragments: string[];
  /** The legacy block currently open for this step, and its content type. */
  blockIndex?: number;
  blockType?: string;
}

/** The deltas that carry a media content's data (none for an empty shell like `{type:'text', text:''}`). */
function contentDeltas(content: MediaContent): Fields[] {
  if (content.type !== 'text') {
    const { type, ...data } = content;
    return Object.keys(data).length > 0 ? [{ type, ...data }] : [];
  }
  const { type: _type, text, annotations, ...rest } = content;
  const out: Fields[] = [];
  if ((text ?? '') !== '' || Object.keys(rest).length > 0)
    out.push({ ...rest, type: 'text', text: text ?? '' });
  if (annotations !== undefined && annotations.length > 0) out.push({ type: 'text_annotation', annotations });
  return out;
}

export class CanonicalToLegacyEvents {
  readonly #steps = new Map<number, OpenStep>();
  #nextBlockIndex = 0;

  push(event: CanonicalEvent): LegacyEvent[] {
    return placeEventId(this.#convert(event), event.event_id);
  }

  #convert(event: CanonicalEvent): LegacyEvent[] {
    switch (event.event_type) {
      case 'interaction.created':
        return [
          {
            ...event,
            event_type: 'interaction.start',
            interaction: stepsEventInteractionToLegacy(event.interaction, false),
          },
        ];
      case 'interaction.completed':
        return [
          {
            ...event,
            event_type: 'interaction.complete',
            interaction: stepsEventInteractionToLegacy(event.interaction, true),
          },
        ];
      case 'step.start':
        return this.#start(event);
      case 'step.delta':
        return this.#delta(event);
      case 'step.stop':
        return this.#stop(event);
      default:
        // interaction.status_update and error are the same in both revisions; unknown types pass through.
        return [event as LegacyEvent];
    }
  }

  #start(event: StepStartEvent): LegacyEvent[] {
    const open: OpenStep = { step: { ...(event.step as Fields) }, fragments: [] };
    this.#steps.set(event.index, open);
    const out = this.#startBlocks(open, event.step);
    return withExtras(out, eventExtras(event, ['index', 'step']));
  }

  #startBlocks(open: OpenStep, step: Step): LegacyEvent[] {
    switch (step.type) {
      case 'user_input':
      case 'function_call':
        return [];
      case 'model_output':
        return (step.content ?? []).flatMap((content) => [
          ...this.#closeBlock(open),
          this.#openBlock(open, content.type),
          ...contentDeltas(content).map((delta) => this.#blockDelta(open, delta)),
        ]);
      case 'thought': {
        const { type, summary, signature, ...rest } = step;
        return [
          this.#openBlock(open, type, rest),
          ...summaryItems(summary).map((content) =>
            this.#blockDelta(open, { type: 'thought_summary', content }),
          ),
          ...(signature ? [this.#blockDelta(open, { type: 'thought_signature', signature })] : []),
        ];
      }
      default: {
        const out: LegacyEvent[] = [this.#openBlock(open, step.type)];
        if (Object.keys(step).length > 1) out.push(this.#blockDelta(open, { ...open.step }));
        return out;
      }
    }
  }

  #delta(event: StepDeltaEvent): LegacyEvent[] {
    const delta = event.delta as Fields;
    const implied = this.#steps.has(event.index)
      ? []
      : this.#start({ event_type: 'step.start', index: event.index, step: impliedStep(delta.type) });
    const open = this.#steps.get(event.index)!;
    return withExtras([...implied, ...this.#stepDelta(open, delta)], eventExtras(event, ['index', 'delta']));
  }

  #stepDelta(open: OpenStep, delta: Fields): LegacyEvent[] {
    switch (open.step.type) {
      case 'user_input':
        return [];
      case 'function_call':
        if (delta.type === 'arguments_delta') open.fragments.push(String(delta.arguments ?? ''));
        else Object.assign(open.step, withoutType(delta));
        return [];
      case 'model_output': {
        const legacyDelta =
          delta.type === 'text_annotation_delta' ? { ...delta, type: 'text_annotation' } : delta;
        // text_annotation belongs to the open (text) block; a media delta of another type opens a new block.
        const blockType = delta.type === 'text_annotation_delta' ? (open.blockType ?? 'text') : delta.type;
        const reopen =
          open.blockIndex === undefined || (isMediaContent(delta) && open.blockType !== delta.type)
            ? [...this.#closeBlock(open), this.#openBlock(open, blockType)]
            : [];
        return [...reopen, this.#blockDelta(open, legacyDelta)];
      }
      case 'thought':
        return [...this.#ensureBlock(open), this.#blockDelta(open, delta)];
      default:
        // Legacy tool deltas are complete contents: send the merged step each time.
        Object.assign(open.step, withoutType(delta));
        return [...this.#ensureBlock(open), this.#blockDelta(open, { ...open.step })];
    }
  }

  #stop(event: StepStopEvent): LegacyEvent[] {
    const open = this.#steps.get(event.index);
    if (open === undefined) return [];
    this.#steps.delete(event.index);
    const out: LegacyEvent[] = [];
    if (open.step.type === 'function_call') {
      const call = { ...open.step, arguments: joinArguments(open.step.arguments, open.fragments) };
      out.push(this.#openBlock(open, 'function_call'), this.#blockDelta(open, call));
    }
    out.push(...this.#closeBlock(open));
    return withExtras(out, eventExtras(event, ['index']));
  }

  #ensureBlock(open: OpenStep): LegacyEvent[] {
    return open.blockIndex === undefined ? [this.#openBlock(open, open.step.type)] : [];
  }

  #openBlock(open: OpenStep, type: string, fields: Record<string, unknown> = {}): LegacyContentStartEvent {
    open.blockIndex = this.#nextBlockIndex++;
    open.blockType = type;
    return {
      event_type: 'content.start',
      index: open.blockIndex,
      content: { ...fields, type } as LegacyContentStartEvent['content'],
    };
  }

  #blockDelta(open: OpenStep, delta: Record<string, unknown>): LegacyEvent {
    return { event_type: 'content.delta', index: open.blockIndex!, delta: delta as LegacyDelta };
  }

  #closeBlock(open: OpenStep): LegacyEvent[] {
    if (open.blockIndex === undefined) return [];
    const index = open.blockIndex;
    open.blockIndex = undefined;
    open.blockType = undefined;
    return [{ event_type: 'content.stop', index }];
  }
}

function withoutType(delta: Fields): Record<string, unknown> {
  const { type: _type, ...rest } = delta;
  return rest;
}

/** Carry the input event's extra fields (usage, metadata, …) onto the last output. */
function withExtras(events: LegacyEvent[], extras: Record<string, unknown>): LegacyEvent[] {
  const last = events.at(-1);
  if (last === undefined || Object.keys(extras).length === 0) return events;
  return [...events.slice(0, -1), { ...extras, ...last } as LegacyEvent];
}

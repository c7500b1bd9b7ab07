/**
 * Legacy stream → canonical (steps) stream, one event at a time.
 *
 * Each legacy content block becomes one step: text/media blocks a `model_output` step, a thought block a
 * `thought` step, a call or result block the step of the same type. Legacy `content.start` may carry only
 * `{type}` for calls and results, so their `step.start` waits for the delta holding the data. A function
 * call's complete arguments become an `arguments_delta` with their JSON text. Step indexes count from 0 in
 * the order steps start.
 */
import type { CanonicalEvent } from '../canonical.ts';
import type { FunctionCallContent, MediaContent } from '../wire/content.ts';
import { isMediaContent } from '../wire/content.ts';
import type {
  LegacyContentDeltaEvent,
  LegacyContentStartEvent,
  LegacyContentStopEvent,
  LegacyEvent,
  StepDelta,
  StepStartEvent,
} from '../wire/events.ts';
import type { Step } from '../wire/step.ts';
import { eventExtras, placeEventId } from './event-ids.ts';
import { legacyEventInteractionToSteps } from './event-interaction.ts';

type BlockKind = 'model_output' | 'thought' | 'function_call' | 'tool';

interface Block {
  kind: BlockKind;
  /** What content.start said, merged into the step once its data arrives. */
  shell: Record<string, unknown> & { type: string };
  /** Set once step.start has been emitted. */
  stepIndex?: number;
}

const blockKind = (type: string): BlockKind =>
  isMediaContent({ type }) ? 'model_output' : type === 'thought' || type === 'function_call' ? type : 'tool';

/** The content type a delta implies when its block was never started. */
const impliedContentType = (deltaType: string): string =>
  deltaType === 'text_annotation'
    ? 'text'
    : deltaType === 'thought_summary' || deltaType === 'thought_signature'
      ? 'thought'
      : deltaType;

export class LegacyToCanonicalEvents {
  readonly #blocks = new Map<number, Block>();
  #nextStepIndex = 0;

  push(event: LegacyEvent): CanonicalEvent[] {
    return placeEventId(this.#convert(event), event.event_id);
  }

  #convert(event: LegacyEvent): CanonicalEvent[] {
    switch (event.event_type) {
      case 'interaction.start':
        return [
          {
            ...event,
            event_type: 'interaction.created',
            interaction: legacyEventInteractionToSteps(event.interaction),
          },
        ];
      case 'interaction.complete':
        return [
          {
            ...event,
            event_type: 'interaction.completed',
            interaction: legacyEventInteractionToSteps(event.interaction),
          },
        ];
      case 'content.start':
        return this.#start(event);
      case 'content.delta':
        return this.#delta(event);
      case 'content.stop':
        return this.#stop(event);
      default:
        // interaction.status_update and error are the same in both revisions; unknown types pass through.
        return [event as CanonicalEvent];
    }
  }

  #start(event: LegacyContentStartEvent): CanonicalEvent[] {
    const shell = event.content;
    const block: Block = { kind: blockKind(shell.type), shell };
    this.#blocks.set(event.index, block);
    const extras = eventExtras(event, ['index', 'content']);
    if (block.kind === 'model_output') {
      const content = (shell.type === 'text' ? { text: '', ...shell } : shell) as MediaContent;
      return [this.#open(block, { type: 'model_output', content: [content] }, extras)];
    }
    if (block.kind === 'thought') return [this.#open(block, shell as Step, extras)];
    return [];
  }

  #delta(event: LegacyContentDeltaEvent): CanonicalEvent[] {
    const implied = this.#blocks.has(event.index)
      ? []
      : this.#start({
          event_type: 'content.start',
          index: event.index,
          content: { type: impliedContentType(event.delta.type) } as LegacyContentStartEvent['content'],
        });
    const block = this.#blocks.get(event.index)!;
    const extras = eventExtras(event, ['index', 'delta']);
    return [
      ...implied,
      ...this.#blockDelta(block, event.delta as Record<string, unknown> & { type: string }, extras),
    ];
  }

  #blockDelta(
    block: Block,
    delta: Record<string, unknown> & { type: string },
    extras: Record<string, unknown>,
  ) {
    const out: CanonicalEvent[] = [];
    if (block.kind === 'function_call' && delta.type === 'function_call') {
      const { arguments: args, ...call } = delta as FunctionCallContent;
      if (block.stepIndex === undefined) {
        out.push(
          this.#open(block, { ...block.shell, ...call, type: 'function_call', arguments: {} } as Step),
        );
      }
      out.push(
        this.#stepDelta(block, { type: 'arguments_delta', arguments: JSON.stringify(args ?? {}) }, extras),
      );
      return out;
    }
    if (block.kind === 'tool' || block.kind === 'function_call') {
      // The delta is the complete call or result: it is the step.
      if (block.stepIndex === undefined)
        return [this.#open(block, { ...block.shell, ...delta } as Step, extras)];
      const { id: _id, call_id: _callId, ...rest } = delta;
      return [this.#stepDelta(block, rest as StepDelta, extras)];
    }
    const renamed = delta.type === 'text_annotation' ? { ...delta, type: 'text_annotation_delta' } : delta;
    return [this.#stepDelta(block, renamed as StepDelta, extras)];
  }

  #stop(event: LegacyContentStopEvent): CanonicalEvent[] {
    const block = this.#blocks.get(event.index);
    if (block === undefined) return [];
    this.#blocks.delete(event.index);
    // A call or result block that never got its delta still becomes a step.
    const out: CanonicalEvent[] =
      block.stepIndex === undefined
        ? [
            this.#open(
              block,
              (block.kind === 'function_call' ? { arguments: {}, ...block.shell } : block.shell) as Step,
            ),
          ]
        : [];
    out.push({ ...eventExtras(event, ['index']), event_type: 'step.stop', index: block.stepIndex! });
    return out;
  }

  #open(block: Block, step: Step, extras: Record<string, unknown> = {}): StepStartEvent {
    block.stepIndex = this.#nextStepIndex++;
    return { ...extras, event_type: 'step.start', index: block.stepIndex, step };
  }

  #stepDelta(block: Block, delta: StepDelta, extras: Record<string, unknown>): CanonicalEvent {
    return { ...extras, event_type: 'step.delta', index: block.stepIndex!, delta };
  }
}

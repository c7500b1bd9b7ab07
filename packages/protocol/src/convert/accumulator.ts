/**
 * Rebuilds what a canonical stream carried: the output items and the interaction's status, usage and id.
 * The client uses it to give a streamed call the same result as a unary one; the server to store a stream.
 */
import type { CanonicalEvent, CanonicalInteraction, Item } from '../canonical.ts';
import type { ErrorBody } from '../wire/common.ts';
import type { StepsInteraction } from '../wire/interaction.ts';
import { applyStepDelta, impliedStep } from './apply-step-delta.ts';
import { joinArguments } from './function-arguments.ts';
import { stepsInteractionToCanonical } from './interaction.ts';
import { cloneJson } from './objects.ts';

export class StreamAccumulator {
  readonly #steps = new Map<number, Item>();
  readonly #fragments = new Map<number, string[]>();
  #interaction: (Partial<StepsInteraction> & { id: string }) | undefined;
  #lastEventId: string | undefined;
  #error: Partial<ErrorBody> | undefined;

  push(event: CanonicalEvent): void {
    if (event.event_id !== undefined) this.#lastEventId = event.event_id;
    switch (event.event_type) {
      case 'interaction.created':
      case 'interaction.completed': {
        // Stream payloads normally leave `steps` empty: the items come from the step events.
        const { steps, ...fields } = event.interaction;
        this.#interaction = { ...this.#interaction, ...fields };
        if (steps !== undefined && steps.length > 0 && this.#steps.size === 0) this.#adoptSteps(steps);
        break;
      }
      case 'interaction.status_update':
        if (this.#interaction === undefined) this.#interaction = { id: event.interaction_id };
        this.#interaction.status = event.status;
        if (event.usage !== undefined) this.#interaction.usage = event.usage;
        break;
      case 'step.start':
        this.#start(event.index, event.step);
        break;
      case 'step.delta': {
        if (!this.#steps.has(event.index)) this.#start(event.index, impliedStep(event.delta.type));
        const step = this.#steps.get(event.index)!;
        if (event.delta.type === 'arguments_delta')
          this.#fragments.get(event.index)?.push(event.delta.arguments ?? '');
        else applyStepDelta(step, event.delta);
        break;
      }
      case 'step.stop': {
        const step = this.#steps.get(event.index);
        const fragments = this.#fragments.get(event.index);
        if (step?.type === 'function_call' && fragments !== undefined) {
          step.arguments = joinArguments(step.arguments, fragments) as Record<string, unknown>;
          this.#fragments.delete(event.index);
        }
        break;
      }
      case 'error':
        this.#error = event.error ?? {};
        break;
    }
  }

  #start(index: number, step: Item): void {
    this.#steps.set(index, cloneJson(step));
    if (step.type === 'function_call') this.#fragments.set(index, []);
  }

  /** A payload that does carry steps (none were streamed): take its output part. */
  #adoptSteps(steps: Item[]): void {
    const { output } = stepsInteractionToCanonical({ id: '', status: 'completed', steps });
    for (const [index, step] of output.entries()) this.#steps.set(index, cloneJson(step));
  }

  /** Output items in step order. Live objects: do not mutate them while pushing. */
  get items(): Item[] {
    return [...this.#steps.entries()].sort(([a], [b]) => a - b).map(([, step]) => step);
  }

  /** The interaction as streamed so far (`undefined` before any interaction event), with `items` as output. */
  get interaction(): CanonicalInteraction | undefined {
    if (this.#interaction === undefined) return undefined;
    return { ...stepsInteractionToCanonical(this.#interaction as StepsInteraction), output: this.items };
  }

  /** The last `event_id` seen: where to resume (`last_event_id`) after a disconnect. */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /** The last `error` event's body, if any. */
  get error(): Partial<ErrorBody> | undefined {
    return this.#error;
  }
}

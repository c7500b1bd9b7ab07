/**
 * An in-memory `InteractionsBackend` for unit tests of the loop: it answers each model call with the next
 * scripted reply and records every request. Streaming requests get a steps-vocabulary event sequence with
 * `event_id`s. (The HTTP tests use the real server; this only isolates the state machine.)
 */
import type {
  CanonicalEvent,
  CanonicalInteraction,
  CanonicalRequest,
  InteractionStatus,
  Item,
  Usage,
} from '@interplay/protocol';
import type { BackendCallOptions, BackendStream, InteractionsBackend } from '../../src/index.ts';

export type Reply =
  | Item[]
  | {
      output: Item[];
      status?: InteractionStatus;
      errors?: { code: string; message: string }[];
      usage?: Usage;
    }
  | ((request: CanonicalRequest, index: number, options: BackendCallOptions) => Item[] | Promise<Item[]>);

export const text = (value: string): Item => ({
  type: 'model_output',
  content: [{ type: 'text', text: value }],
});
export const call = (name: string, args: unknown, id = `call_${name}`): Item =>
  ({ type: 'function_call', id, name, arguments: args }) as Item;
export const thought = (signature: string, summary?: string): Item => ({
  type: 'thought',
  signature,
  ...(summary ? { summary: [{ type: 'text', text: summary }] } : {}),
});

export class FakeBackend implements InteractionsBackend {
  readonly requests: CanonicalRequest[] = [];
  readonly #replies: Reply[];
  #count = 0;

  constructor(replies: Reply[]) {
    this.#replies = replies;
  }

  get calls(): number {
    return this.#count;
  }

  async create(request: CanonicalRequest, options: BackendCallOptions = {}): Promise<CanonicalInteraction> {
    options.signal?.throwIfAborted();
    const index = this.#count++;
    this.requests.push(structuredClone(request));
    const reply = this.#replies[index];
    if (reply === undefined) throw new Error(`FakeBackend: no reply scripted for call ${index + 1}`);
    let output: Item[];
    let status: InteractionStatus | undefined;
    let errors: { code: string; message: string }[] | undefined;
    let usage: Usage = { total_input_tokens: 10, total_output_tokens: 5, total_tokens: 15 };
    if (typeof reply === 'function') output = await reply(request, index, options);
    else if (Array.isArray(reply)) output = reply;
    else ({ output, status, errors, usage = usage } = reply);
    status ??= output.some((i) => i.type === 'function_call') ? 'requires_action' : 'completed';
    const id = `int_${index + 1}`;
    const interaction: CanonicalInteraction = { id, status, output: structuredClone(output), usage };
    if (errors) interaction.errors = errors;
    if (request.previous_interaction_id)
      interaction.previous_interaction_id = request.previous_interaction_id;
    return interaction;
  }

  async stream(request: CanonicalRequest, options: BackendCallOptions = {}): Promise<BackendStream> {
    const interaction = await this.create(request, options);
    return {
      async *[Symbol.asyncIterator]() {
        for (const event of streamEvents(interaction)) yield { eventId: event.event_id, events: [event] };
      },
      finalInteraction: async () => interaction,
    };
  }

  follow(): Promise<CanonicalInteraction> {
    throw new Error('FakeBackend: the loop never follows');
  }

  get(): Promise<CanonicalInteraction> {
    throw new Error('FakeBackend: the loop never gets');
  }

  cancel(): Promise<void> {
    throw new Error('FakeBackend: the loop never cancels');
  }
}

/** The steps-revision stream of a finished interaction, one `event_id` per event. */
export function streamEvents(interaction: CanonicalInteraction): CanonicalEvent[] {
  let n = 0;
  const id = () => `${interaction.id}:e${++n}`;
  const events: CanonicalEvent[] = [
    {
      event_type: 'interaction.created',
      event_id: id(),
      interaction: { id: interaction.id, status: 'in_progress' },
    },
  ];
  interaction.output.forEach((item, index) => {
    if (item.type === 'model_output') {
      const whole = item.content?.map((c) => (c.type === 'text' ? c.text : '')).join('') ?? '';
      const words = whole.split(/(?<= )/);
      events.push({
        event_type: 'step.start',
        event_id: id(),
        index,
        step: { type: 'model_output', content: [] },
      });
      for (const w of words)
        events.push({ event_type: 'step.delta', event_id: id(), index, delta: { type: 'text', text: w } });
    } else if (item.type === 'thought') {
      events.push({ event_type: 'step.start', event_id: id(), index, step: { ...item, signature: '' } });
      events.push({
        event_type: 'step.delta',
        event_id: id(),
        index,
        delta: { type: 'thought_signature', signature: item.signature ?? '' },
      });
    } else if (item.type === 'function_call') {
      events.push({ event_type: 'step.start', event_id: id(), index, step: { ...item, arguments: {} } });
      events.push({
        event_type: 'step.delta',
        event_id: id(),
        index,
        delta: { type: 'arguments_delta', arguments: JSON.stringify(item.arguments) },
      });
    } else {
      events.push({ event_type: 'step.start', event_id: id(), index, step: item });
    }
    events.push({ event_type: 'step.stop', event_id: id(), index });
  });
  events.push({
    event_type: 'interaction.status_update',
    event_id: id(),
    interaction_id: interaction.id,
    status: interaction.status,
  });
  events.push({
    event_type: 'interaction.completed',
    event_id: id(),
    interaction: { id: interaction.id, status: interaction.status, usage: interaction.usage ?? {} },
  });
  return events;
}

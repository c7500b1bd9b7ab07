/**
 * How the seed SDK tests read what the official SDKs hand back — an answer's last text, what a stream carried,
 * a background interaction polled until it ends — on both revisions: the steps SDKs (3.x, `interaction.steps`)
 * and the legacy one (1.52, `interaction.outputs`). Used by the seed suites (seed-sdk-steps.ts,
 * seed-sdk-legacy.ts) and by the provider suites (seed-sdk-openai.test.ts, seed-sdk-providers.test.ts).
 */
import type { Interactions as StepsTypes } from '@google/genai';
import type { Interactions as LegacyTypes } from 'genai-legacy';
import { sleep } from './seed-sdk-shared.ts';

type Step = StepsTypes.Step;

/** The text of the last model_output step (what `steps[-1].content[0].text` shows), '' when it is not one. */
export function lastStepText(steps: Step[]): string {
  const last = steps.at(-1);
  if (last?.type !== 'model_output') return '';
  return (last.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('');
}

/** Every content part of the model_output steps, in order. */
export const modelOutputContent = (steps: Step[]) =>
  steps.flatMap((s) => (s.type === 'model_output' ? (s.content ?? []) : []));

/** The text of the last output (what the seeds print as `outputs[-1].text`), '' when it is not text. */
export function lastOutputText(outputs: readonly LegacyTypes.Content[] | undefined): string {
  const last = outputs?.at(-1);
  return last?.type === 'text' ? (last.text ?? '') : '';
}

/** What a steps-revision stream carried. */
export interface StepsStreamRead {
  /** Every `event_type` seen. */
  types: Set<string>;
  /** The text deltas joined. */
  text: string;
  /** How many text deltas came. */
  textDeltas: number;
  /** The `arguments_delta` fragments of function calls, in order. */
  argumentFragments: string[];
  /** The interaction's status and usage as `interaction.completed` gave them. */
  status?: string;
  totalTokens?: number;
}

/** Reads a steps-revision stream to its end. */
export async function readStepsStream(
  stream: AsyncIterable<StepsTypes.InteractionSSEEvent>,
): Promise<StepsStreamRead> {
  const read: StepsStreamRead = { types: new Set(), text: '', textDeltas: 0, argumentFragments: [] };
  for await (const chunk of stream) {
    read.types.add(chunk.event_type);
    if (chunk.event_type === 'step.delta') {
      if (chunk.delta.type === 'text') {
        read.text += chunk.delta.text;
        read.textDeltas += 1;
      } else if (chunk.delta.type === 'arguments_delta') {
        read.argumentFragments.push(chunk.delta.arguments ?? '');
      }
    } else if (chunk.event_type === 'interaction.completed') {
      read.status = chunk.interaction.status;
      read.totalTokens = chunk.interaction.usage?.total_tokens;
    }
  }
  return read;
}

/** What a legacy-revision stream carried: the event types, the text deltas joined, the completed usage. */
export async function readLegacyStream(
  stream: AsyncIterable<LegacyTypes.InteractionSSEEvent>,
): Promise<{ types: Set<string>; text: string; totalTokens?: number }> {
  const read: { types: Set<string>; text: string; totalTokens?: number } = { types: new Set(), text: '' };
  for await (const chunk of stream) {
    read.types.add(chunk.event_type);
    if (chunk.event_type === 'content.delta') {
      if (chunk.delta.type === 'text' && 'text' in chunk.delta) read.text += chunk.delta.text;
    } else if (chunk.event_type === 'interaction.complete') {
      read.totalTokens = chunk.interaction.usage?.total_tokens;
    }
  }
  return read;
}

/**
 * Gets a background interaction every 50 ms until it is completed, failed or cancelled (at most 400 times, as
 * the seeds poll, shortened), and returns the last read.
 */
export async function pollUntilDone<I extends { status?: string }>(get: () => Promise<I>): Promise<I> {
  let interaction = await get();
  for (let i = 1; i < 400 && !['completed', 'failed', 'cancelled'].includes(interaction.status ?? ''); i++) {
    await sleep(50);
    interaction = await get();
  }
  return interaction;
}

/**
 * The tool loop through the Vercel AI SDK: `generateText` with a tool and a step limit, on `@ai-sdk/google`'s
 * `google.interactions()` provider (which speaks the Interactions API) — the way its docs show a tool loop.
 * The SDK keeps the conversation itself and sends it whole on every step (it sets no
 * `previous_interaction_id` inside a loop), so its requests grow by two items per step.
 */
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { generateText, isStepCount, tool } from 'ai';
import { z } from 'zod';
import { LOOP_PROMPT, LOOP_TOOL, MODEL } from './scripts.ts';
import { TAG_HEADER } from './server-types.ts';

/** One round's marks (`performance.now()` after each model call's step), tool runs and the last interaction. */
export interface LoopRound {
  marks: number[];
  toolRuns: number;
  lastInteractionId: string;
}

export function aiSdkLoop(
  url: string,
  tag: string,
  steps: number,
): { loop: () => Promise<LoopRound>; close: () => Promise<void> } {
  const google = createGoogleGenerativeAI({
    baseURL: `${url}/v1beta`,
    apiKey: 'bench',
    headers: { [TAG_HEADER]: tag },
  });
  const model = google.interactions(MODEL);
  let toolRuns = 0;
  const tools = {
    [LOOP_TOOL]: tool({
      description: 'Does nothing and returns at once.',
      inputSchema: z.object({ q: z.string() }),
      execute: async () => {
        toolRuns++;
        return 'ok';
      },
    }),
  };
  const loop = async (): Promise<LoopRound> => {
    const marks: number[] = [];
    toolRuns = 0;
    let lastInteractionId = '';
    await generateText({
      model,
      prompt: LOOP_PROMPT,
      tools,
      // The opening call plus `steps` steps, as the other loops make.
      stopWhen: isStepCount(steps + 1),
      onStepFinish: (step) => {
        marks.push(performance.now());
        const id = step.providerMetadata?.google?.interactionId;
        if (typeof id === 'string') lastInteractionId = id;
      },
    });
    // Like the Runner, the SDK ran the last call's tool before stopping; that is after the last mark.
    return { marks, toolRuns: toolRuns - 1, lastInteractionId };
  };
  return { loop, close: async () => {} };
}

/**
 * The seeds' examples that the seed suite (seed-sdk-steps.ts) and the provider suites (seed-sdk-openai.test.ts,
 * seed-sdk-providers.test.ts) send alike through a steps SDK: each flow sends the seed's requests and returns
 * what came back; the tests assert on it (what they expect differs by what answers behind the server), with
 * the one check they all make of the searched euro answer here too.
 */
import type { GoogleGenAI, Interactions as StepsTypes } from '@google/genai';
import { expect } from 'vitest';
import { z } from 'zod';
import { lastStepText, readStepsStream, type StepsStreamRead } from './seed-sdk-read.ts';
import {
  euroSchema,
  MEETING,
  MODEL,
  MODERATE,
  meetingTool,
  moderationSchema,
  weatherTool,
} from './seed-sdk-shared.ts';

type Step = StepsTypes.Step;
/** What a flow may add to each of its requests (a stateless flow sends `store: false`). */
type Extra = { store?: boolean };

/** "Tell me a short joke about programming." */
export const tellJoke = (client: GoogleGenAI) =>
  client.interactions.create({ model: MODEL, input: 'Tell me a short joke about programming.' });

/** "Hi, my name is Phil.", then "What is my name?" chained to it by previous_interaction_id. */
export async function nameConversation(client: GoogleGenAI) {
  const first = await client.interactions.create({ model: MODEL, input: 'Hi, my name is Phil.' });
  const second = await client.interactions.create({
    model: MODEL,
    input: 'What is my name?',
    previous_interaction_id: first.id,
  });
  return { first, second };
}

/** The three largest cities in Spain, then the landmark of the second: a Step[] history resent whole. */
export async function spainConversation(client: GoogleGenAI, extra: Extra = {}) {
  const history: Step[] = [
    {
      type: 'user_input',
      content: [{ type: 'text', text: 'What are the three largest cities in Spain?' }],
    },
  ];
  const first = await client.interactions.create({ model: MODEL, input: history, ...extra });
  history.push(...first.steps, {
    type: 'user_input',
    content: [{ type: 'text', text: 'What is the most famous landmark in the second one?' }],
  });
  const second = await client.interactions.create({ model: MODEL, input: history, ...extra });
  return { first, second };
}

/**
 * schedule_meeting with client-side state: the request, its function call answered "Meeting scheduled
 * successfully.", and the full Step[] history resent with the tool. Throws when no call came.
 */
export async function meetingRoundTrip(client: GoogleGenAI, extra: Extra = {}) {
  const history: Step[] = [{ type: 'user_input', content: [{ type: 'text', text: MEETING }] }];
  const requested = await client.interactions.create({
    model: MODEL,
    input: history,
    tools: [meetingTool],
    ...extra,
  });
  history.push(...requested.steps);
  const call = requested.steps.find((s) => s.type === 'function_call');
  if (call?.type !== 'function_call') throw new Error('no call');
  history.push({
    type: 'function_result',
    name: call.name,
    call_id: call.id,
    result: 'Meeting scheduled successfully.',
  });
  const done = await client.interactions.create({
    model: MODEL,
    input: history,
    tools: [meetingTool],
    ...extra,
  });
  return { requested, call, done };
}

/** "Explain quantum entanglement in simple terms.", streamed. */
export async function streamEntanglement(client: GoogleGenAI): Promise<StepsStreamRead> {
  const stream = await client.interactions.create({
    model: MODEL,
    input: 'Explain quantum entanglement in simple terms.',
    stream: true,
  });
  return readStepsStream(stream);
}

/** "What is the weather in Paris?" with get_weather, streamed: the call's arguments come as fragments. */
export async function streamWeatherCall(client: GoogleGenAI): Promise<StepsStreamRead> {
  const stream = await client.interactions.create({
    model: MODEL,
    input: 'What is the weather in Paris?',
    tools: [weatherTool],
    stream: true,
  });
  return readStepsStream(stream);
}

/** "Calculate the 50th Fibonacci number." with code_execution. */
export const fibonacci50 = (client: GoogleGenAI) =>
  client.interactions.create({
    model: MODEL,
    input: 'Calculate the 50th Fibonacci number.',
    tools: [{ type: 'code_execution' }],
  });

/** "Summarize the content of https://www.wikipedia.org/" with url_context. */
export const summarizeWikipedia = (client: GoogleGenAI) =>
  client.interactions.create({
    model: MODEL,
    input: 'Summarize the content of https://www.wikipedia.org/',
    tools: [{ type: 'url_context' }],
  });

/** "What is 15% of 240?" with high thinking and its summaries. */
export const solveWithThinking = (client: GoogleGenAI) =>
  client.interactions.create({
    model: MODEL,
    input: 'Solve this step by step: What is 15% of 240?',
    generation_config: { thinking_level: 'high', thinking_summaries: 'auto' },
  });

/** The seed's spam moderation, answered as JSON to the moderation schema. */
export const moderate = (client: GoogleGenAI) =>
  client.interactions.create({
    model: MODEL,
    input: MODERATE,
    response_format: {
      type: 'text',
      mime_type: 'application/json',
      schema: z.toJSONSchema(moderationSchema),
    },
  });

/** "Who won the last euro?" with google_search, answered as JSON to the euro schema. */
export const euroWithSearch = (client: GoogleGenAI) =>
  client.interactions.create({
    model: MODEL,
    input: 'Who won the last euro?',
    tools: [{ type: 'google_search' }],
    response_format: { type: 'text', mime_type: 'application/json', schema: z.toJSONSchema(euroSchema) },
  });

/** "Generate an image of a futuristic city." with response_format image (9:16, 2K). */
export const futuristicCity = (client: GoogleGenAI) =>
  client.interactions.create({
    model: 'gemini-3-pro-image-preview',
    input: 'Generate an image of a futuristic city.',
    response_format: { type: 'image', aspect_ratio: '9:16', image_size: '2K' },
  });

/** The seed's speech generation: one voice, response_format audio. */
export const sayWoohoo = (client: GoogleGenAI) =>
  client.interactions.create({
    model: 'gemini-2.5-flash-preview-tts',
    input: 'Say the following: WOOHOO This is so much fun!.',
    response_format: { type: 'audio' },
    generation_config: { speech_config: [{ language: 'en-us', voice: 'kore' }] },
  });

/** The euro answer came after the search's call and result, as JSON that follows the euro schema. */
export function expectEuroAfterSearch(interaction: { steps: Step[] }): void {
  expect(interaction.steps.map((s) => s.type)).toEqual([
    'google_search_call',
    'google_search_result',
    'model_output',
  ]);
  euroSchema.parse(JSON.parse(lastStepText(interaction.steps)));
}

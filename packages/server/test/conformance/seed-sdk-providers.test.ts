/**
 * "Gemini generateContent and Anthropic Messages as providers", done: the OFFICIAL SDKs (`@google/genai` 3.1 and
 * 3.6 on the steps revision, 1.52 on legacy) run the seeds' examples against our server with `provider: 'gemini'` and
 * with `provider: 'anthropic'`, each in front of its local FAKE upstream (test/fakes/gemini-upstream.ts,
 * anthropic-upstream.ts: the documented wire formats, answers from rules). Text, conversations (stateful and
 * stateless), function calling, streaming, structured output, thinking — and for Gemini image and speech
 * generation. The fakes refuse a replayed call or thinking block whose signature is not the one they gave, so
 * the stateless examples also prove the signatures round-trip byte for byte.
 */
import type { GoogleGenAI } from '@google/genai';
import { GoogleGenAI as LegacyGoogleGenAI } from 'genai-legacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnthropicUpstream, startAnthropicUpstream } from '../fakes/anthropic-upstream.ts';
import { type GeminiUpstream, startGeminiUpstream } from '../fakes/gemini-upstream.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { lastOutputText, lastStepText, modelOutputContent } from './seed-sdk-read.ts';
import { MEETING_ARGUMENTS, MODEL, moderationSchema, weatherTool } from './seed-sdk-shared.ts';
import * as seed from './seed-sdk-steps-flows.ts';
import { itIsSdk, STEPS_SDKS } from './steps-sdks.ts';
import { API_KEY, LEGACY_REVISION } from './support.ts';

interface Subject {
  name: 'gemini' | 'anthropic';
  start(): Promise<{ url: string; close(): Promise<void>; count(): number }>;
}

const subjects: Subject[] = [
  {
    name: 'gemini',
    async start() {
      const fake: GeminiUpstream = await startGeminiUpstream();
      return { url: fake.url, close: () => fake.close(), count: () => fake.requests.length };
    },
  },
  {
    name: 'anthropic',
    async start() {
      const fake: AnthropicUpstream = await startAnthropicUpstream();
      return { url: fake.url, close: () => fake.close(), count: () => fake.requests.length };
    },
  },
];

/** Each provider under each steps-era SDK. */
const cases = STEPS_SDKS.flatMap(([version, Sdk]) => subjects.map((subject) => ({ version, Sdk, subject })));

for (const { version, Sdk, subject } of cases) {
  describe(`@google/genai ${version} → our server → ${subject.name} provider → fake upstream`, () => {
    let upstream: Awaited<ReturnType<Subject['start']>>;
    let api: TestServer;
    let client: GoogleGenAI;
    let legacy: LegacyGoogleGenAI;
    const L = { headers: { 'Api-Revision': LEGACY_REVISION } };
    beforeAll(async () => {
      upstream = await subject.start();
      api = await startServer({
        apiKeys: [API_KEY],
        provider: subject.name,
        providerOptions: { baseUrl: upstream.url },
        builtins: false,
        mcp: false,
      });
      client = new Sdk({ apiKey: API_KEY, httpOptions: { baseUrl: api.url } });
      legacy = new LegacyGoogleGenAI({
        apiKey: API_KEY,
        httpOptions: { baseUrl: api.url, apiVersion: 'v1beta' },
      });
    });
    afterAll(async () => {
      await api?.close();
      await upstream?.close();
    });

    itIsSdk(version);

    it('basic interaction (both SDK generations)', async () => {
      const interaction = await seed.tellJoke(client);
      expect(interaction.status).toBe('completed');
      expect(interaction.output_text).toMatch(/bugs/);
      expect(interaction.usage?.total_tokens).toBeGreaterThan(0);
      const old = await legacy.interactions.create(
        { model: MODEL, input: 'Tell me a short joke about programming.' },
        L,
      );
      expect(lastOutputText(old.outputs)).toMatch(/bugs/);
    });

    it('stateful conversation (previous_interaction_id), then stateless Step[] history', async () => {
      const { second } = await seed.nameConversation(client);
      expect(lastStepText(second.steps)).toBe('Your name is Phil.');

      const { second: two } = await seed.spainConversation(client, { store: false });
      expect(lastStepText(two.steps)).toMatch(/Barcelona.*Sagrada Família/);
    });

    it('function calling, client-side state (store:false, full Step[] history resent with its signatures)', async () => {
      const { requested, call: fc, done } = await seed.meetingRoundTrip(client, { store: false });
      expect(requested.status).toBe('requires_action');
      expect(fc.arguments).toEqual(MEETING_ARGUMENTS);
      // The SDK's type has no signature on a call; the wire does (and the fake upstream checks it comes back).
      if (subject.name === 'gemini') expect((fc as { signature?: string }).signature).toMatch(/^gemini:/);
      expect(done.status).toBe('completed');
      expect(lastStepText(done.steps)).toContain('Meeting scheduled successfully.');
    });

    it('function calling with server-side state, on the legacy SDK', async () => {
      let interaction = await legacy.interactions.create(
        { model: MODEL, input: 'What is the weather in Paris?', tools: [weatherTool] },
        L,
      );
      expect(interaction.status).toBe('requires_action');
      const fc = interaction.outputs?.find((o) => o.type === 'function_call');
      if (fc?.type !== 'function_call') throw new Error('no call');
      expect(fc.arguments).toEqual({ location: 'Paris' });
      interaction = await legacy.interactions.create(
        {
          model: MODEL,
          previous_interaction_id: interaction.id,
          input: [
            {
              type: 'function_result',
              name: fc.name,
              call_id: fc.id,
              result: 'The weather in Paris is sunny.',
            },
          ],
          tools: [weatherTool],
        },
        L,
      );
      expect(interaction.status).toBe('completed');
      expect(lastOutputText(interaction.outputs)).toContain('The weather in Paris is sunny.');
    });

    it('streaming: text deltas, and a function call whose arguments stream', async () => {
      const { text, textDeltas: deltas } = await seed.streamEntanglement(client);
      expect(text).toMatch(/entangle/i);
      expect(deltas).toBeGreaterThan(1);

      const { status, argumentFragments: fragments } = await seed.streamWeatherCall(client);
      expect(status).toBe('requires_action');
      expect(JSON.parse(fragments.join(''))).toEqual({ location: 'Paris' });
    });

    it('structured output: response_format with a schema', async () => {
      const interaction = await seed.moderate(client);
      moderationSchema.parse(JSON.parse(lastStepText(interaction.steps)));
    });

    it('thinking: a thought step with the reasoning, then the answer', async () => {
      const thinking = await seed.solveWithThinking(client);
      expect(thinking.steps.map((s) => s.type)).toEqual(['thought', 'model_output']);
      const thought = thinking.steps[0];
      expect(thought?.type === 'thought' && thought.summary?.length).toBeGreaterThan(0);
      expect(lastStepText(thinking.steps)).toMatch(/\b36\b/);
      if (subject.name === 'anthropic') {
        // Claude's signed thinking goes back on the next turn; the fake refuses any byte changed.
        expect(thought?.type === 'thought' && thought.signature).toMatch(/^anthropic:/);
        const next = await client.interactions.create({
          model: MODEL,
          input: 'What is 10% of 240?',
          previous_interaction_id: thinking.id,
          generation_config: { thinking_level: 'high' },
        });
        expect(next.status).toBe('completed');
      }
    });

    if (subject.name === 'gemini') {
      it('image generation (response_format image; legacy response_modalities and image_config)', async () => {
        const interaction = await seed.futuristicCity(client);
        const images = modelOutputContent(interaction.steps).filter((c) => c.type === 'image');
        expect(images).toHaveLength(1);
        expect(interaction.output_image).toEqual(images[0]);
        const image = images[0];
        expect(
          Buffer.from((image?.type === 'image' && image.data) || '', 'base64')
            .subarray(1, 4)
            .toString(),
        ).toBe('PNG');
        for (const extra of [
          { response_modalities: ['image' as const] },
          {
            generation_config: { image_config: { aspect_ratio: '9:16' as const, image_size: '2K' as const } },
          },
        ]) {
          const old = await legacy.interactions.create(
            {
              model: 'gemini-3-pro-image-preview',
              input: 'Generate an image of a futuristic city.',
              ...extra,
            },
            L,
          );
          expect((old.outputs ?? []).filter((o) => o.type === 'image')).toHaveLength(1);
        }
      });

      it('speech generation (one voice; the legacy seed form too)', async () => {
        const speech = await seed.sayWoohoo(client);
        const audio = modelOutputContent(speech.steps).find((c) => c.type === 'audio');
        expect(audio?.type === 'audio' && audio.mime_type).toMatch(/^audio\//);
        expect(Buffer.from((audio?.type === 'audio' && audio.data) || '', 'base64').length).toBeGreaterThan(
          0,
        );
        const old = await legacy.interactions.create(
          {
            model: 'gemini-2.5-flash-preview-tts',
            input: 'Say the following: WOOHOO This is so much fun!.',
            response_modalities: ['audio'],
            generation_config: { speech_config: { language: 'en-us', voice: 'kore' } as never },
          },
          L,
        );
        expect((old.outputs ?? []).find((o) => o.type === 'audio')?.mime_type).toMatch(/^audio\//);
      });
    }
  });
}

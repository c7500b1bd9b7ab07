/**
 * The seeds' examples as written, through @google/genai 1.52 on the legacy revision (registered by
 * seed-sdk-suite.ts).
 */
import { GoogleGenAI as LegacyGoogleGenAI, type Interactions as LegacyTypes } from 'genai-legacy';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lastOutputText, pollUntilDone, readLegacyStream } from './seed-sdk-read.ts';
import {
  catsAndDogs,
  euroSchema,
  MEDIA_INPUTS,
  MEETING,
  MEETING_ARGUMENTS,
  MODEL,
  MODERATE,
  mediaUrl,
  meetingTool,
  moderationSchema,
  type SeedContext,
  sleep,
  weatherTool,
} from './seed-sdk-shared.ts';
import { API_KEY, expectAnswered, FIBONACCI_50, LEGACY_REVISION, weatherFor } from './support.ts';

export function legacySeedTests(ctx: SeedContext): void {
  describe('@google/genai 1.52 (legacy revision, interaction.outputs)', () => {
    type Content = LegacyTypes.Content;
    let client: LegacyGoogleGenAI;
    /** Per request: 1.x does not forward httpOptions.headers to interactions. */
    const L = { headers: { 'Api-Revision': LEGACY_REVISION } };
    beforeAll(() => {
      client = new LegacyGoogleGenAI({
        apiKey: API_KEY,
        httpOptions: { baseUrl: ctx.env.api.url, apiVersion: 'v1beta' },
      });
    });

    it('basic interaction', async () => {
      const interaction = await client.interactions.create(
        { model: MODEL, input: 'Tell me a short joke about programming.' },
        L,
      );
      expect(interaction.status).toBe('completed');
      expect(interaction.outputs?.length).toBeGreaterThan(0);
      expectAnswered(lastOutputText(interaction.outputs));
    });

    it('stateful conversation (previous_interaction_id), then get by id', async () => {
      const interaction1 = await client.interactions.create(
        { model: MODEL, input: 'Hi, my name is Phil.' },
        L,
      );
      expect(lastOutputText(interaction1.outputs)).toContain('Phil');
      const interaction2 = await client.interactions.create(
        { model: MODEL, input: 'What is my name?', previous_interaction_id: interaction1.id },
        L,
      );
      expect(lastOutputText(interaction2.outputs)).toMatch(/Your name is Phil/);

      const previous_interaction = await client.interactions.get(interaction2.id, undefined, L);
      expect(previous_interaction).toMatchObject({
        id: interaction2.id,
        status: 'completed',
        previous_interaction_id: interaction1.id,
        outputs: interaction2.outputs,
      });
      expect(previous_interaction).not.toHaveProperty('steps');
    });

    it('stateless conversation: Turn[] history with the model turn’s outputs', async () => {
      const conversationHistory: LegacyTypes.Turn[] = [
        { role: 'user', content: 'What are the three largest cities in Spain?' },
      ];
      const interaction1 = await client.interactions.create({ model: MODEL, input: conversationHistory }, L);
      expect(lastOutputText(interaction1.outputs)).toMatch(/Madrid, Barcelona, and Valencia/);
      conversationHistory.push({ role: 'model', content: interaction1.outputs });
      conversationHistory.push({
        role: 'user',
        content: 'What is the most famous landmark in the second one?',
      });
      const interaction2 = await client.interactions.create({ model: MODEL, input: conversationHistory }, L);
      expect(lastOutputText(interaction2.outputs)).toMatch(/Barcelona.*Sagrada Família/);
    });

    it.each(MEDIA_INPUTS)('multimodal understanding: $type by URL', async (m) => {
      const interaction = await client.interactions.create(
        {
          model: MODEL,
          input: [
            { type: 'text', text: m.prompt },
            { type: m.type, uri: mediaUrl(ctx, m.file), mime_type: m.mime_type } as Content,
          ],
        },
        L,
      );
      expect(interaction.status).toBe('completed');
      const text = lastOutputText(interaction.outputs);
      expectAnswered(text);
      expect(text).toContain(m.type);
    });

    it('function calling with server-side state (get_weather)', async () => {
      let interaction = await client.interactions.create(
        { model: MODEL, input: 'What is the weather in Paris?', tools: [weatherTool] },
        L,
      );
      expect(interaction.status).toBe('requires_action');
      let calls = 0;
      for (const output of interaction.outputs ?? []) {
        if (output.type === 'function_call') {
          calls++;
          expect(output.name).toBe('get_weather');
          const result = `The weather in ${output.arguments.location} is sunny.`;
          interaction = await client.interactions.create(
            {
              model: MODEL,
              previous_interaction_id: interaction.id,
              input: [{ type: 'function_result', name: output.name, call_id: output.id, result }],
            },
            L,
          );
          expect(interaction.status).toBe('completed');
          expect(lastOutputText(interaction.outputs)).toContain('The weather in Paris is sunny.');
        }
      }
      expect(calls).toBe(1);
    });

    it('function calling with client-side state (schedule_meeting, full history resent)', async () => {
      const history: LegacyTypes.Turn[] = [{ role: 'user', content: [{ type: 'text', text: MEETING }] }];
      const interaction = await client.interactions.create(
        { model: MODEL, input: history, tools: [meetingTool] },
        L,
      );
      expect(interaction.status).toBe('requires_action');
      history.push({ role: 'model', content: interaction.outputs });
      let calls = 0;
      for (const output of interaction.outputs ?? []) {
        if (output.type === 'function_call') {
          calls++;
          expect(output.arguments).toEqual(MEETING_ARGUMENTS);
          history.push({
            role: 'user',
            content: [
              {
                type: 'function_result',
                name: output.name,
                call_id: output.id,
                result: 'Meeting scheduled successfully.',
              },
            ],
          });
          const interaction2 = await client.interactions.create({ model: MODEL, input: history }, L);
          expect(interaction2.status).toBe('completed');
          expect(lastOutputText(interaction2.outputs)).toContain('Meeting scheduled successfully.');
        }
      }
      expect(calls).toBe(1);
    });

    it('streaming: content.delta … interaction.complete', async () => {
      const stream = await client.interactions.create(
        { model: MODEL, input: 'Explain quantum entanglement in simple terms.', stream: true },
        L,
      );
      const { types, text, totalTokens } = await readLegacyStream(stream);
      expect([...types]).toEqual(
        expect.arrayContaining(['interaction.start', 'content.start', 'content.delta', 'content.stop']),
      );
      expect([...types].filter((t) => t.startsWith('step.') || t === 'interaction.completed')).toEqual([]);
      expect(totalTokens).toBeGreaterThan(0);
      expectAnswered(text);
      expect(text).toMatch(/entangle/i);
    });

    it('generation_config, and thinking summaries', async () => {
      const interaction = await client.interactions.create(
        {
          model: MODEL,
          input: 'Tell me a story about a brave knight.',
          generation_config: { temperature: 0.7, max_output_tokens: 500, thinking_level: 'low' },
        },
        L,
      );
      expect(interaction.status).toBe('completed');
      expectAnswered(lastOutputText(interaction.outputs));

      const thinking = await client.interactions.create(
        {
          model: MODEL,
          input: 'Solve this step by step: What is 15% of 240?',
          generation_config: { thinking_level: 'high', thinking_summaries: 'auto' },
        },
        L,
      );
      const thought = thinking.outputs?.find((o) => o.type === 'thought');
      expect(thought?.type === 'thought' && thought.signature).toBeTruthy();
      expect(thought?.type === 'thought' && thought.summary?.length).toBeGreaterThan(0);
      expect(lastOutputText(thinking.outputs)).toMatch(/\b36\b/);
    });

    it('structured output: JSON parsed and validated with zod (alone, and after google_search)', async () => {
      const interaction = await client.interactions.create(
        { model: MODEL, input: MODERATE, response_format: z.toJSONSchema(moderationSchema) },
        L,
      );
      const first = interaction.outputs?.[0];
      expect(first?.type).toBe('text');
      const parsed = moderationSchema.parse(JSON.parse(first?.type === 'text' ? first.text : ''));
      expect('spam_type' in parsed.decision || 'is_safe' in parsed.decision).toBe(true);

      const withSearch = await client.interactions.create(
        {
          model: MODEL,
          input: 'Who won the last euro?',
          tools: [{ type: 'google_search' }],
          response_format: z.toJSONSchema(euroSchema),
        },
        L,
      );
      // The seed prints outputs[0].text, but the search call and result come first: read the last output.
      expect(withSearch.outputs?.map((o) => o.type)).toEqual([
        'google_search_call',
        'google_search_result',
        'text',
      ]);
      euroSchema.parse(JSON.parse(lastOutputText(withSearch.outputs)));
    });

    it('image generation (response_modalities, image_config) and speech generation', async () => {
      for (const extra of [
        { response_modalities: ['image' as const] },
        { generation_config: { image_config: { aspect_ratio: '9:16' as const, image_size: '2K' as const } } },
      ]) {
        const interaction = await client.interactions.create(
          { model: 'gemini-3-pro-image-preview', input: 'Generate an image of a futuristic city.', ...extra },
          L,
        );
        const images = (interaction.outputs ?? []).filter((o) => o.type === 'image');
        expect(images).toHaveLength(1);
        const image = images[0];
        expect(image?.mime_type).toMatch(/^image\//);
        expect(
          Buffer.from(image?.data ?? '', 'base64')
            .subarray(1, 4)
            .toString(),
        ).toBe('PNG');
      }

      const speech = await client.interactions.create(
        {
          model: 'gemini-2.5-flash-preview-tts',
          input: 'Say the following: WOOHOO This is so much fun!.',
          response_modalities: ['audio'],
          // As in the seed: one speech config object (the SDK's type says a list).
          generation_config: { speech_config: { language: 'en-us', voice: 'kore' } as never },
        },
        L,
      );
      const audio = (speech.outputs ?? []).find((o) => o.type === 'audio');
      expect(audio?.mime_type).toMatch(/^audio\//);
      expect(Buffer.from(audio?.data ?? '', 'base64').length).toBeGreaterThan(0);
    });

    it('built-in tools: google_search, code_execution, url_context, hosted MCP', async () => {
      const search = await client.interactions.create(
        { model: MODEL, input: 'Who won the last Super Bowl?', tools: [{ type: 'google_search' }] },
        L,
      );
      const textOutput = search.outputs?.find((o) => o.type === 'text');
      expectAnswered(textOutput?.type === 'text' ? textOutput.text : '');

      const code = await client.interactions.create(
        { model: MODEL, input: 'Calculate the 50th Fibonacci number.', tools: [{ type: 'code_execution' }] },
        L,
      );
      expect(code.outputs?.find((o) => o.type === 'code_execution_result')).toMatchObject({
        result: FIBONACCI_50,
      });
      expect(lastOutputText(code.outputs)).toContain(FIBONACCI_50);

      const url = await client.interactions.create(
        {
          model: MODEL,
          input: 'Summarize the content of https://www.wikipedia.org/',
          tools: [{ type: 'url_context' }],
        },
        L,
      );
      expect(url.outputs?.map((o) => o.type)).toEqual(['url_context_call', 'url_context_result', 'text']);
      expectAnswered(lastOutputText(url.outputs));

      const mcpServer = { type: 'mcp_server' as const, name: 'weather_service', url: ctx.env.mcpUrl };
      const mcp = await client.interactions.create(
        {
          model: 'gemini-2.5-flash',
          input: 'What is the weather like in New York today?',
          tools: [mcpServer],
          system_instruction: `Today is ${new Date().toDateString()}.`,
        },
        L,
      );
      expect(lastOutputText(mcp.outputs)).toContain(weatherFor('New York'));
    });

    it('background: the Deep Research agent, polled until completed', async () => {
      const initialInteraction = await client.interactions.create(
        {
          input: 'Research the history of the Google TPUs with a focus on 2025 and 2026.',
          agent: 'deep-research-pro-preview-12-2025',
          background: true,
        },
        L,
      );
      expect(initialInteraction.status).toBe('in_progress');
      const interaction = await pollUntilDone(() =>
        client.interactions.get(initialInteraction.id, undefined, L),
      );
      expect(interaction.status).toBe('completed');
      expect(interaction.outputs?.some((o) => o.type === 'google_search_result')).toBe(true);
      expect(lastOutputText(interaction.outputs)).toMatch(/TPU/);
    });

    it('files: upload, wait for ACTIVE, use the uri', async () => {
      const myfile = await client.files.upload({
        file: catsAndDogs(ctx),
        config: { mimeType: 'image/jpeg' },
      });
      while ((await client.files.get({ name: myfile.name as string })).state !== 'ACTIVE') await sleep(20);
      const interaction = await client.interactions.create(
        {
          model: MODEL,
          input: [
            { type: 'image', uri: myfile.uri },
            { type: 'text', text: 'Describe what you see.' },
          ],
        },
        L,
      );
      const texts = (interaction.outputs ?? []).flatMap((o) => (o.type === 'text' ? [o.text] : []));
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain('image');
    });

    it('delete, then get is a 404', async () => {
      const interaction = await client.interactions.create({ model: MODEL, input: 'Tell me a joke' }, L);
      await client.interactions.delete(interaction.id, undefined, L);
      await expect(client.interactions.get(interaction.id, undefined, L)).rejects.toMatchObject({
        status: 404,
      });
    });

    it('store: false answers, then get is a 404', async () => {
      const interaction = await client.interactions.create(
        { model: MODEL, input: 'Tell me a joke', store: false },
        L,
      );
      expect(interaction.status).toBe('completed');
      expectAnswered(lastOutputText(interaction.outputs));
      await expect(client.interactions.get(interaction.id, undefined, L)).rejects.toMatchObject({
        status: 404,
      });
    });
  });
}

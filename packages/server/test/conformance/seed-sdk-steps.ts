/**
 * The seeds' examples adapted to the steps revision, through each steps SDK of steps-sdks.ts (registered by
 * seed-sdk-suite.ts).
 */
import type { GoogleGenAI, Interactions as StepsTypes } from '@google/genai';
import { beforeAll, describe, expect, it } from 'vitest';
import { lastStepText, modelOutputContent, pollUntilDone } from './seed-sdk-read.ts';
import {
  catsAndDogs,
  MEDIA_INPUTS,
  MEETING,
  MEETING_ARGUMENTS,
  MODEL,
  mediaUrl,
  meetingTool,
  moderationSchema,
  type SeedContext,
  sleep,
  weatherTool,
} from './seed-sdk-shared.ts';
import * as seed from './seed-sdk-steps-flows.ts';
import { itIsSdk, STEPS_SDKS } from './steps-sdks.ts';
import { API_KEY, expectAnswered, FIBONACCI_50, weatherFor } from './support.ts';

export function stepsSeedTests(ctx: SeedContext): void {
  describe.each(STEPS_SDKS)('@google/genai %s (steps revision, interaction.steps)', (version, Sdk) => {
    type Step = StepsTypes.Step;
    let client: GoogleGenAI;
    beforeAll(() => {
      client = new Sdk({ apiKey: API_KEY, httpOptions: { baseUrl: ctx.env.api.url } });
    });
    itIsSdk(version);

    it('basic interaction', async () => {
      const interaction = await seed.tellJoke(client);
      expect(interaction.status).toBe('completed');
      expect(interaction.steps.map((s) => s.type)).toEqual(['model_output']);
      expectAnswered(lastStepText(interaction.steps));
      // The SDK's own helper agrees.
      expect(interaction.output_text).toBe(lastStepText(interaction.steps));
    });

    it('stateful conversation (previous_interaction_id), then get by id', async () => {
      const { second: interaction2 } = await seed.nameConversation(client);
      expect(lastStepText(interaction2.steps)).toMatch(/Your name is Phil/);

      const previous_interaction = await client.interactions.get(interaction2.id as string);
      expect(previous_interaction).toMatchObject({ id: interaction2.id, status: 'completed' });
      // GET returns the user_input step first, then the outputs.
      expect(previous_interaction.steps).toEqual([
        { type: 'user_input', content: [{ type: 'text', text: 'What is my name?' }] },
        ...interaction2.steps,
      ]);
    });

    it('stateless conversation: Step[] history with the model’s steps', async () => {
      const { first: interaction1, second: interaction2 } = await seed.spainConversation(client);
      expect(lastStepText(interaction1.steps)).toMatch(/Madrid, Barcelona, and Valencia/);
      expect(lastStepText(interaction2.steps)).toMatch(/Barcelona.*Sagrada Família/);
    });

    it.each(MEDIA_INPUTS)('multimodal understanding: $type by URL', async (m) => {
      const interaction = await client.interactions.create({
        model: MODEL,
        input: [
          { type: 'text', text: m.prompt },
          { type: m.type, uri: mediaUrl(ctx, m.file), mime_type: m.mime_type } as StepsTypes.Content,
        ],
      });
      expect(interaction.status).toBe('completed');
      const text = lastStepText(interaction.steps);
      expectAnswered(text);
      expect(text).toContain(m.type);
    });

    it('function calling with server-side state (get_weather)', async () => {
      let interaction = await client.interactions.create({
        model: MODEL,
        input: 'What is the weather in Paris?',
        tools: [weatherTool],
      });
      expect(interaction.status).toBe('requires_action');
      let calls = 0;
      for (const step of interaction.steps) {
        if (step.type === 'function_call') {
          calls++;
          const result = `The weather in ${step.arguments.location} is sunny.`;
          interaction = await client.interactions.create({
            model: MODEL,
            previous_interaction_id: interaction.id,
            input: [{ type: 'function_result', name: step.name, call_id: step.id, result }],
          });
          expect(interaction.status).toBe('completed');
          expect(lastStepText(interaction.steps)).toContain('The weather in Paris is sunny.');
        }
      }
      expect(calls).toBe(1);
    });

    it('function calling with client-side state (schedule_meeting, full Step[] history resent)', async () => {
      const history: Step[] = [{ type: 'user_input', content: [{ type: 'text', text: MEETING }] }];
      const interaction = await client.interactions.create({
        model: MODEL,
        input: history,
        tools: [meetingTool],
      });
      expect(interaction.status).toBe('requires_action');
      history.push(...interaction.steps);
      let calls = 0;
      for (const step of interaction.steps) {
        if (step.type === 'function_call') {
          calls++;
          expect(step.arguments).toEqual(MEETING_ARGUMENTS);
          history.push({
            type: 'function_result',
            name: step.name,
            call_id: step.id,
            result: 'Meeting scheduled successfully.',
          });
          const interaction2 = await client.interactions.create({ model: MODEL, input: history });
          expect(interaction2.status).toBe('completed');
          expect(lastStepText(interaction2.steps)).toContain('Meeting scheduled successfully.');
        }
      }
      expect(calls).toBe(1);
    });

    it('streaming: step.delta … interaction.completed', async () => {
      const { types, text, totalTokens } = await seed.streamEntanglement(client);
      expect([...types]).toEqual(
        expect.arrayContaining([
          'interaction.created',
          'step.start',
          'step.delta',
          'step.stop',
          'interaction.completed',
        ]),
      );
      expect([...types].filter((t) => t.startsWith('content.') || t === 'interaction.complete')).toEqual([]);
      expect(totalTokens).toBeGreaterThan(0);
      expectAnswered(text);
      expect(text).toMatch(/entangle/i);
    });

    it('generation_config, and thinking summaries', async () => {
      const interaction = await client.interactions.create({
        model: MODEL,
        input: 'Tell me a story about a brave knight.',
        generation_config: { temperature: 0.7, max_output_tokens: 500, thinking_level: 'low' },
      });
      expect(interaction.status).toBe('completed');
      expectAnswered(lastStepText(interaction.steps));

      const thinking = await seed.solveWithThinking(client);
      expect(thinking.steps.map((s) => s.type)).toEqual(['thought', 'model_output']);
      const thought = thinking.steps[0];
      expect(thought?.type === 'thought' && thought.signature).toBeTruthy();
      expect(thought?.type === 'thought' && thought.summary?.length).toBeGreaterThan(0);
      expect(lastStepText(thinking.steps)).toMatch(/\b36\b/);
    });

    it('structured output: response_format {type: text, schema}, parsed and validated with zod', async () => {
      const interaction = await seed.moderate(client);
      const parsed = moderationSchema.parse(JSON.parse(lastStepText(interaction.steps)));
      expect('spam_type' in parsed.decision || 'is_safe' in parsed.decision).toBe(true);

      seed.expectEuroAfterSearch(await seed.euroWithSearch(client));
    });

    it('image generation (response_format image) and speech generation (response_format audio)', async () => {
      const interaction = await seed.futuristicCity(client);
      const images = modelOutputContent(interaction.steps).filter((c) => c.type === 'image');
      expect(images).toHaveLength(1);
      const image = images[0];
      expect(image?.type === 'image' && image.mime_type).toMatch(/^image\//);
      expect(
        Buffer.from((image?.type === 'image' && image.data) || '', 'base64')
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
      expect(interaction.output_image).toEqual(image);

      const speech = await seed.sayWoohoo(client);
      const audio = modelOutputContent(speech.steps).find((c) => c.type === 'audio');
      expect(audio?.type === 'audio' && audio.mime_type).toMatch(/^audio\//);
      expect(Buffer.from((audio?.type === 'audio' && audio.data) || '', 'base64').length).toBeGreaterThan(0);
    });

    it('built-in tools: google_search, code_execution, url_context, hosted MCP', async () => {
      const search = await client.interactions.create({
        model: MODEL,
        input: 'Who won the last Super Bowl?',
        tools: [{ type: 'google_search' }],
      });
      expect(search.steps.map((s) => s.type)).toEqual([
        'google_search_call',
        'google_search_result',
        'model_output',
      ]);
      expectAnswered(lastStepText(search.steps));

      const code = await seed.fibonacci50(client);
      expect(code.steps.find((s) => s.type === 'code_execution_result')).toMatchObject({
        result: FIBONACCI_50,
      });
      expect(lastStepText(code.steps)).toContain(FIBONACCI_50);

      const url = await seed.summarizeWikipedia(client);
      expect(url.steps.map((s) => s.type)).toEqual([
        'url_context_call',
        'url_context_result',
        'model_output',
      ]);
      expectAnswered(lastStepText(url.steps));

      const mcp = await client.interactions.create({
        model: 'gemini-2.5-flash',
        input: 'What is the weather like in New York today?',
        tools: [{ type: 'mcp_server', name: 'weather_service', url: ctx.env.mcpUrl }],
        system_instruction: `Today is ${new Date().toDateString()}.`,
      });
      expect(mcp.steps.map((s) => s.type)).toEqual([
        'mcp_server_tool_call',
        'mcp_server_tool_result',
        'model_output',
      ]);
      expect(lastStepText(mcp.steps)).toContain(weatherFor('New York'));
    });

    it('background: the Deep Research agent, polled until completed', async () => {
      const initialInteraction = await client.interactions.create({
        input: 'Research the history of the Google TPUs with a focus on 2025 and 2026.',
        agent: 'deep-research-pro-preview-12-2025',
        background: true,
      });
      expect(initialInteraction.status).toBe('in_progress');
      const interaction = await pollUntilDone(() => client.interactions.get(initialInteraction.id as string));
      expect(interaction.status).toBe('completed');
      expect(interaction.steps[0]?.type).toBe('user_input');
      expect(interaction.steps.some((s) => s.type === 'google_search_result')).toBe(true);
      expect(lastStepText(interaction.steps)).toMatch(/TPU/);
    });

    it('files: upload, wait for ACTIVE, use the uri', async () => {
      const myfile = await client.files.upload({
        file: catsAndDogs(ctx),
        config: { mimeType: 'image/jpeg' },
      });
      while ((await client.files.get({ name: myfile.name as string })).state !== 'ACTIVE') await sleep(20);
      const interaction = await client.interactions.create({
        model: MODEL,
        input: [
          { type: 'image', uri: myfile.uri as string },
          { type: 'text', text: 'Describe what you see.' },
        ],
      });
      expect(interaction.status).toBe('completed');
      expect(lastStepText(interaction.steps)).toContain('image');
    });

    it('delete, then get is a 404', async () => {
      const interaction = await client.interactions.create({ model: MODEL, input: 'Tell me a joke' });
      await client.interactions.delete(interaction.id as string);
      await expect(client.interactions.get(interaction.id as string)).rejects.toMatchObject({
        statusCode: 404,
      });
    });

    it('store: false answers, then get is a 404', async () => {
      const interaction = await client.interactions.create({
        model: MODEL,
        input: 'Tell me a joke',
        store: false,
      });
      expect(interaction.status).toBe('completed');
      expectAnswered(lastStepText(interaction.steps));
      await expect(client.interactions.get(interaction.id as string)).rejects.toMatchObject({
        statusCode: 404,
      });
    });
  });
}

import { Runner, tool } from '@interplay/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestEnvironment } from '../src/testing.ts';

const WEATHER_SCRIPT = {
  rules: [
    {
      when: { input: 'weather in (?<city>\\w+)', tools: ['get_weather'] },
      respond: [{ type: 'function_call', name: 'get_weather', arguments: { location: '{{city}}' } }],
    },
    { when: { last: 'function_result' }, respond: [{ type: 'text', text: 'It is {{last.result}}.' }] },
  ],
};

const getWeather = tool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: z.object({ location: z.string() }),
  execute: async ({ location }) => `sunny in ${location}`,
});

describe('createTestEnvironment', () => {
  for (const revision of ['steps', 'legacy'] as const) {
    it(`runs an agent against the in-process server and records what the model received (${revision})`, async () => {
      await using env = await createTestEnvironment({ script: WEATHER_SCRIPT, revision });
      const runner = new Runner({ client: env.client, model: 'test-model', tools: [getWeather] });
      const result = await runner.run('What is the weather in Paris?');
      expect(result.finishReason).toBe('completed');
      expect(result.text).toBe('It is sunny in Paris.');
      expect(env.modelCalls).toHaveLength(2);
      // The second model call saw the tool's result, sent back by the run loop.
      expect(env.modelCalls[1]?.items.at(-1)).toMatchObject({
        type: 'function_result',
        result: 'sunny in Paris',
      });
      // The interaction really is stored on the server and readable over HTTP.
      const stored = await env.client.get(result.lastInteractionId!);
      expect(stored.interaction.status).toBe('completed');
    });
  }

  it('answers from the default script when none is given, and closes cleanly twice', async () => {
    const env = await createTestEnvironment();
    const { interaction } = await env.client.create({
      model: 'gemini-3-flash-preview',
      input: 'Hi, my name is Phil.',
    });
    expect(interaction.status).toBe('completed');
    expect(env.modelCalls).toHaveLength(1);
    await env.close();
    await env.close();
    await expect(fetch(`${env.url}/v1beta/interactions/x`)).rejects.toThrow();
  });
});

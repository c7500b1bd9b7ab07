/**
 * Part 1 — typed tools. A zod schema and a function become `get_weather`: the schema is the function
 * declaration the model sees, the model's arguments are validated against it, `execute` gets them typed, and
 * the core `Runner` sends the result back until the model answers (streamed).
 */
import { Runner, tool } from '@interplay/core';
import { z } from 'zod';
import type { DemoEnv } from './env.ts';
import type { DemoOutput } from './output.ts';

export const TOOLS_PROMPT = 'What is the weather in Paris?';

/** A stand-in for a weather service. */
const STATIONS: Record<string, { tempC: number; conditions: string; windKmh: number }> = {
  paris: { tempC: 18, conditions: 'cloudy', windKmh: 12 },
  rome: { tempC: 24, conditions: 'sunny', windKmh: 6 },
  tokyo: { tempC: 21, conditions: 'light rain', windKmh: 9 },
};

export const getWeather = tool({
  name: 'get_weather',
  description: 'Gets the current weather for a city.',
  parameters: z.object({
    location: z.string().min(1).describe('The city, e.g. Paris'),
    unit: z.enum(['celsius', 'fahrenheit']).default('celsius').describe('Temperature unit'),
  }),
  timeoutMs: 5_000,
  // `location: string`, `unit: 'celsius' | 'fahrenheit'`: inferred from the schema, validated at run time.
  execute: async ({ location, unit }) => {
    const station = STATIONS[location.trim().toLowerCase()];
    if (!station) throw new Error(`No weather station for "${location}". Known: Paris, Rome, Tokyo.`);
    const temperature = unit === 'fahrenheit' ? Math.round((station.tempC * 9) / 5 + 32) : station.tempC;
    return { location, temperature, unit, conditions: station.conditions, wind_kmh: station.windKmh };
  },
});

export async function typedTools(env: DemoEnv, out: DemoOutput, signal: AbortSignal): Promise<void> {
  out.heading(1, 'Typed tools', 'a zod get_weather tool run by the core Runner');
  out.line(`declaration: ${JSON.stringify(getWeather.declaration)}`);
  const runner = new Runner({
    client: env.client,
    model: env.model,
    instructions: 'Answer in one sentence. Use get_weather for any weather question.',
    tools: [getWeather],
    stream: true,
  });
  out.line(`user: ${TOOLS_PROMPT}`);
  const run = runner.start(TOOLS_PROMPT, { signal });
  for await (const e of run.events()) {
    if (e.type === 'tool_call') out.line(`→ tool call   ${e.call.name}(${JSON.stringify(e.call.arguments)})`);
    else if (e.type === 'tool_result')
      out.line(`← tool result ${JSON.stringify(e.result.result)}${e.result.isError ? ' (error)' : ''}`);
    else if (e.type === 'text_delta') out.answerDelta(e.delta);
  }
  const result = await run.result;
  out.endAnswer(result.text);
  out.note(
    `${result.finishReason} · ${result.steps.length} model calls · ${result.usage.total_tokens} tokens`,
  );
}

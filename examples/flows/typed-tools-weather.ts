/**
 * Flow: typed tools. A weather tool defined once with zod — the schema becomes the function declaration the
 * model sees, the model's arguments are validated against it, and `execute` receives them typed. The
 * `Runner` streams the run as events (tool calls, results, text deltas).
 *
 *   node examples/flows/typed-tools-weather.ts
 *
 * Two runs: a city the tool knows, and one it does not — the tool throws, the error goes back to the model
 * as an `is_error` function_result (failures are data), and the run still finishes.
 */
import { Runner, tool } from '@interplay/core';
import { z } from 'zod';
import { setup } from '../_shared/setup.ts';

/** A stand-in for a weather service. */
const FORECASTS: Record<string, { tempC: number; conditions: 'sunny' | 'cloudy' | 'rain'; windKmh: number }> =
  {
    paris: { tempC: 18, conditions: 'cloudy', windKmh: 12 },
    rome: { tempC: 24, conditions: 'sunny', windKmh: 6 },
    london: { tempC: 14, conditions: 'rain', windKmh: 20 },
  };

const getWeather = tool({
  name: 'get_weather',
  description: 'Gets the current weather for a city.',
  parameters: z.object({
    location: z.string().min(1).describe('The city, e.g. Paris'),
    unit: z.enum(['celsius', 'fahrenheit']).default('celsius').describe('Temperature unit'),
  }),
  timeoutMs: 5_000,
  // `location: string`, `unit: 'celsius' | 'fahrenheit'` — inferred from the schema, validated at run time.
  execute: async ({ location, unit }, { signal }) => {
    await new Promise((resolve) => setTimeout(resolve, 50)); // a network call would take `signal`
    signal.throwIfAborted();
    const forecast = FORECASTS[location.trim().toLowerCase()];
    if (!forecast)
      throw new Error(`No weather station for "${location}". Known cities: Paris, Rome, London.`);
    const temperature = unit === 'fahrenheit' ? Math.round((forecast.tempC * 9) / 5 + 32) : forecast.tempC;
    return { location, temperature, unit, conditions: forecast.conditions, wind_kmh: forecast.windKmh };
  },
});

const env = await setup();
try {
  console.log('Declaration sent to the model:');
  console.log(JSON.stringify(getWeather.declaration, null, 2));

  const runner = new Runner({
    client: env.client,
    model: env.model,
    instructions: 'Answer briefly. Use get_weather for any weather question.',
    tools: [getWeather],
    stream: true,
  });

  for (const question of ['What is the weather in Paris?', 'What is the weather in Atlantis?']) {
    console.log(`\nUser: ${question}`);
    const run = runner.start(question, { signal: AbortSignal.timeout(60_000) });
    for await (const e of run.events()) {
      if (e.type === 'tool_call') console.log(`→ ${e.call.name}(${JSON.stringify(e.call.arguments)})`);
      if (e.type === 'tool_result') {
        const status = e.result.isError ? `error (${e.result.errorKind})` : 'ok';
        console.log(`← ${status} in ${e.result.durationMs} ms: ${JSON.stringify(e.result.result)}`);
      }
      if (e.type === 'text_delta') process.stdout.write(e.delta);
    }
    const result = await run.result;
    console.log(
      `\n(${result.finishReason} after ${result.steps.length} steps, ${result.usage.total_tokens} tokens)`,
    );
  }
} finally {
  await env.close();
}

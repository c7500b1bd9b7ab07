// A project on zod 3: its own v3 schemas for a tool and for structured output, against `npx interplay serve`
// (INTERPLAY_BASE_URL). Prints one JSON line for the consumer check.
import { Runner, tool } from '@interplay/core';
import { z } from 'zod';

const getWeather = tool({
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: z.object({ location: z.string() }),
  execute: async ({ location }) => ({ location, celsius: 21 }),
});
const weather = await new Runner({ model: 'gemini-3-flash-preview', tools: [getWeather] }).run(
  'What is the weather in Paris?',
);

const City = z.object({ name: z.string(), population: z.number().int() });
const structured = await new Runner({ model: 'gemini-3-flash-preview', responseFormat: City }).run(
  'Name a large city and its population.',
);
console.log(JSON.stringify({ weather: weather.text, output: structured.output }));

// Type-checked with the same strict configuration as ../project: zod 3 schemas give typed tool arguments
// and a typed structured output.
import { Runner, tool } from '@interplay/core';
import { z } from 'zod';

export const getWeather = tool({
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: z.object({ location: z.string(), days: z.number().optional() }),
  execute: async ({ location, days }) => {
    // @ts-expect-error `days` is number | undefined, not a string: the arguments are really typed.
    const wrong: string = days;
    return { location, wrong };
  },
});

export async function population(): Promise<number | undefined> {
  const City = z.object({ name: z.string(), population: z.number() });
  const result = await new Runner({ model: 'gemini-3-flash-preview', responseFormat: City }).run('A city?');
  return result.output?.population;
}

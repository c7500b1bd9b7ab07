import { Runner, tool, z } from '@interplay/core';

const getWeather = tool({
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: z.object({ location: z.string().describe('A city, e.g. Paris') }),
  execute: async ({ location }) => ({ location, forecast: 'sunny', celsius: 21 }),
});

const runner = new Runner({ model: 'gemini-3-flash-preview', tools: [getWeather] });
const result = await runner.run('What is the weather in Paris?');
console.log(result.text);

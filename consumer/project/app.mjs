// A user's plain-JavaScript agent: a typed zod tool and Python code execution, run against the testing kit's
// in-process server (scripted model, real HTTP, real Pyodide). Prints one JSON line for the consumer check.

import { createTestEnvironment } from '@interplay/cli/testing';
import { InteractionsClient } from '@interplay/client';
import { codeExecution, Runner, tool, z } from '@interplay/core';

const script = {
  rules: [
    {
      when: { input: 'weather in (?<city>\\w+)', tools: ['get_weather'], last: 'user_input' },
      respond: [{ type: 'function_call', name: 'get_weather', arguments: { location: '{{city}}' } }],
    },
    {
      when: { last: 'function_result', tools: ['code_execution'] },
      respond: [
        {
          type: 'code_execution_call',
          arguments: { language: 'python', code: '{{last.result.celsius}} * 9 / 5 + 32' },
        },
      ],
    },
    { when: { last: 'code_execution_result' }, respond: 'It is {{last.result}} °F.' },
  ],
};

const getWeather = tool({
  name: 'get_weather',
  description: 'The current temperature in a city',
  parameters: z.object({ location: z.string() }),
  execute: async ({ location }) => ({ location, celsius: location === 'Paris' ? 21 : 10 }),
});

const env = await createTestEnvironment({ script, builtins: true });
try {
  const client = new InteractionsClient({ baseUrl: env.url, apiKey: 'test' });
  const runner = new Runner({ client, model: 'test-model', tools: [getWeather, codeExecution()] });
  const result = await runner.run('What is the weather in Paris, in Fahrenheit?');
  const types = result.steps.flatMap((step) => step.output.map((item) => item.type));
  console.log(JSON.stringify({ text: result.text, finishReason: result.finishReason, types }));
} finally {
  await env.close();
}

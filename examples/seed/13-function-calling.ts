/**
 * Seed: "Function calling" — the model calls `get_weather`, we run it and send the result back, the model
 * answers. The seed writes that loop by hand; with Interplay the tool is a typed `tool()` (zod schema →
 * function declaration, arguments validated before `execute`) and the `Runner` drives the loop: it sends the
 * `function_result` with `previous_interaction_id` (server-side state) until the model answers in text.
 *
 *   node examples/seed/13-function-calling.ts
 */
import { Runner, tool } from '@interplay/core';
import { z } from 'zod';
import { setup } from '../_shared/setup.ts';

const env = await setup();
try {
  // 1. Define the tool.
  const getWeather = tool({
    name: 'get_weather',
    description: 'Gets the weather for a given location.',
    parameters: z.object({
      location: z.string().describe('The city and state, e.g. San Francisco, CA'),
    }),
    execute: ({ location }) => `The weather in ${location} is sunny.`,
  });

  // 2. Run: the runner sends the request with the tool, executes the call, sends the result back.
  const runner = new Runner({ client: env.client, model: env.model, tools: [getWeather] });
  const run = runner.start('What is the weather in Paris?');
  run.on('tool_call', (e) => console.log(`Tool Call: ${e.call.name}(${JSON.stringify(e.call.arguments)})`));
  run.on('tool_result', (e) => console.log(`Tool Result: ${JSON.stringify(e.result.result)}`));
  const result = await run.result;

  // 3. The model's answer, after the tool result.
  console.log(`Response: ${result.text}`);
  console.log(`(${result.steps.length} model calls, finish reason ${result.finishReason})`);
} finally {
  await env.close();
}

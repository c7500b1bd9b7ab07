/**
 * Seed "Function calling" with the official `@google/genai` 3.x SDK against Interplay's server (or live
 * Gemini): the hand-written loop of the seed — declare the tool, read the `function_call` step, send a
 * `function_result` with `previous_interaction_id`. (examples/seed/13-function-calling.ts is the same with
 * Interplay's typed `tool()` and `Runner`.)
 *
 *   node examples/sdk/03-function-calling.ts
 */
import { GoogleGenAI } from '@google/genai';
import { setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const client = new GoogleGenAI(env.genai);

  // 1. Define the tool.
  const weatherTool = {
    type: 'function' as const,
    name: 'get_weather',
    description: 'Gets the weather for a given location.',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
      },
      required: ['location'],
    },
  };

  // 2. Send the request with tools.
  let interaction = await client.interactions.create({
    model: 'gemini-3-flash-preview',
    input: 'What is the weather in Paris?',
    tools: [weatherTool],
  });
  console.log(`Status: ${interaction.status}`);

  // 3. Handle the tool call.
  for (const step of interaction.steps) {
    if (step.type !== 'function_call') continue;
    console.log(`Tool Call: ${step.name}(${JSON.stringify(step.arguments)})`);

    // Execute the tool (mocked).
    const result = `The weather in ${String(step.arguments.location)} is sunny.`;

    // Send the result back.
    interaction = await client.interactions.create({
      model: 'gemini-3-flash-preview',
      previous_interaction_id: interaction.id,
      input: [{ type: 'function_result', name: step.name, call_id: step.id, result }],
    });
    console.log(`Response: ${interaction.output_text}`);
  }
} finally {
  await env.close();
}

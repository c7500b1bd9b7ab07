/**
 * Seed "Stateful conversation" and "Retrieve a previous interaction" with the official `@google/genai` 3.x
 * SDK against Interplay's server (or live Gemini): `previous_interaction_id` chains the turns, `get` reads a
 * stored interaction back (in the steps revision with its `user_input` step first).
 *
 *   node examples/sdk/04-stateful-conversation.ts
 */
import { GoogleGenAI } from '@google/genai';
import { setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const client = new GoogleGenAI(env.genai);

  const interaction1 = await client.interactions.create({
    model: 'gemini-3-flash-preview',
    input: 'Hi, my name is Phil.',
  });
  console.log(`Model: ${interaction1.output_text}`);

  const interaction2 = await client.interactions.create({
    model: 'gemini-3-flash-preview',
    input: 'What is my name?',
    previous_interaction_id: interaction1.id,
  });
  console.log(`Model: ${interaction2.output_text}`);

  const previous = await client.interactions.get(interaction2.id!);
  console.log(`Retrieved ${previous.id}: ${previous.steps.map((s) => s.type).join(', ')}`);
} finally {
  await env.close();
}

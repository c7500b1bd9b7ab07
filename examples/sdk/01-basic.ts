/**
 * Seed "Basic interaction" with the official `@google/genai` 3.x SDK, unchanged except for where it points:
 * `httpOptions.baseUrl` sends it to Interplay's server offline, or nowhere special (the real API) live.
 * Drop-in compatibility: the SDK speaks the steps revision, and our server answers in it.
 *
 *   node examples/sdk/01-basic.ts
 */
import { GoogleGenAI } from '@google/genai';
import { setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const client = new GoogleGenAI(env.genai); // offline: { apiKey, httpOptions: { baseUrl: 'http://127.0.0.1:PORT' } }

  const interaction = await client.interactions.create({
    model: 'gemini-3-flash-preview',
    input: 'Tell me a short joke about programming.',
  });

  // 3.x: `steps` is the timeline; `output_text` is the SDK's shortcut to the last answer's text.
  const last = interaction.steps.at(-1);
  if (last?.type === 'model_output')
    for (const part of last.content ?? []) if (part.type === 'text') console.log(part.text);
  console.log(`(output_text: ${JSON.stringify(interaction.output_text)}; status ${interaction.status})`);
} finally {
  await env.close();
}

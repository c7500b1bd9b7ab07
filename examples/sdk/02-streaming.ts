/**
 * Seed "Streaming" with the official `@google/genai` 3.x SDK against Interplay's server (or live Gemini).
 * The SDK parses our server's SSE stream: `step.delta` events carry the text, `interaction.completed` ends
 * it with the usage.
 *
 *   node examples/sdk/02-streaming.ts
 */
import { GoogleGenAI } from '@google/genai';
import { setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const client = new GoogleGenAI(env.genai);

  const stream = await client.interactions.create({
    model: 'gemini-3-flash-preview',
    input: 'Explain quantum entanglement in simple terms.',
    stream: true,
  });

  for await (const chunk of stream) {
    if (chunk.event_type === 'step.start') {
      const step = chunk.step;
      if (step.type === 'model_output')
        for (const part of step.content ?? []) if (part.type === 'text') process.stdout.write(part.text);
    } else if (chunk.event_type === 'step.delta') {
      if (chunk.delta.type === 'text') process.stdout.write(chunk.delta.text);
      else if (chunk.delta.type === 'thought_summary' && chunk.delta.content?.type === 'text')
        process.stdout.write(chunk.delta.content.text);
    } else if (chunk.event_type === 'interaction.completed') {
      console.log('\n\n--- Stream Finished ---');
      console.log(`Total Tokens: ${chunk.interaction.usage?.total_tokens}`);
    }
  }
} finally {
  await env.close();
}

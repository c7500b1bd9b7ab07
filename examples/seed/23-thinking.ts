/**
 * Seed: "Thinking" — `thinking_level` sets how deeply the model reasons, `thinking_summaries: 'auto'` asks
 * for readable summaries. Thoughts come as `thought` steps: a `signature` (always; it must be sent back with
 * the step in stateless conversations) and an optional `summary` — handle it being absent.
 *
 *   node examples/seed/23-thinking.ts
 *
 * Offline the scripted model answers this prompt with a thought (summary and a generated signature) first.
 */
import { setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const { interaction } = await env.client.create({
    model: env.model,
    input: 'Solve this step by step: What is 15% of 240?',
    generation_config: {
      thinking_level: 'high',
      thinking_summaries: 'auto',
    },
  });

  for (const step of interaction.output) {
    if (step.type === 'thought') {
      const summary =
        typeof step.summary === 'string'
          ? step.summary
          : (step.summary ?? []).map((part) => (part.type === 'text' ? part.text : '[image]')).join('');
      console.log(`Thinking: ${summary || '(no summary)'}`);
      console.log(
        `  signature: ${step.signature ? `${step.signature.slice(0, 24)}… (${step.signature.length} chars)` : '(none)'}`,
      );
    } else if (step.type === 'model_output') {
      for (const part of step.content ?? []) if (part.type === 'text') console.log(`Answer: ${part.text}`);
    }
  }
  console.log(`(thought tokens: ${interaction.usage?.total_thought_tokens ?? 0})`);
} finally {
  await env.close();
}

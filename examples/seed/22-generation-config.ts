/**
 * Seed: "Configuration" — `generation_config` tunes one interaction: temperature, output length, thinking
 * level. It is not inherited through `previous_interaction_id`; send it with every request that needs it.
 *
 *   node examples/seed/22-generation-config.ts
 */
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const { interaction } = await env.client.create({
    model: env.model,
    input: 'Tell me a story about a brave knight.',
    generation_config: {
      temperature: 0.7,
      max_output_tokens: 500,
      thinking_level: 'low',
    },
  });

  console.log(lastText(interaction.output));
  console.log(`(generation_config as stored: ${JSON.stringify(interaction.generation_config)})`);
  console.log(`(output tokens: ${interaction.usage?.total_output_tokens})`);
} finally {
  await env.close();
}

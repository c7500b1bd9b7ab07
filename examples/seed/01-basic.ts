/**
 * Seed: "Basic interaction" — a text prompt in, the model's answer out.
 *
 *   node examples/seed/01-basic.ts
 */
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const { interaction } = await env.client.create({
    model: env.model,
    input: 'Tell me a short joke about programming.',
  });

  // The steps revision: `output` is the typed timeline; the answer is the last model_output step.
  console.log(lastText(interaction.output));
  console.log(`(interaction ${interaction.id}, status ${interaction.status})`);
} finally {
  await env.close();
}

/**
 * Seed: "Retrieve a previous stateful interaction" — `get` by id returns the stored interaction: in the steps
 * revision its `user_input` step(s) first, then everything the model produced.
 *
 *   node examples/seed/03-get-interaction.ts
 */
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const created = await env.client.create({
    model: env.model,
    input: 'Tell me a short joke about programming.',
  });
  const id = created.interaction.id;

  const previous = await env.client.get(id);
  const { interaction } = previous;
  console.log(`Retrieved ${interaction.id}: status ${interaction.status}, model ${interaction.model}`);
  console.log(`Created ${interaction.created}, total tokens ${interaction.usage?.total_tokens}`);
  for (const step of [...(interaction.input ?? []), ...interaction.output]) {
    const text = lastText([step]);
    console.log(`  ${step.type}${text ? `: ${text}` : ''}`);
  }
  // The wire object exactly as the API sent it:
  console.log(JSON.stringify(previous.raw, null, 2));
} finally {
  await env.close();
}

/**
 * Seed: "Stateful conversation" — the second turn names the first with `previous_interaction_id`, so the
 * server supplies the history and the model remembers the name.
 *
 *   node examples/seed/02-stateful-conversation.ts
 */
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup();
try {
  // 1. First turn
  const first = await env.client.create({ model: env.model, input: 'Hi, my name is Phil.' });
  console.log(`User: Hi, my name is Phil.`);
  console.log(`Model: ${lastText(first.interaction.output)}`);

  // 2. Second turn: only the new input is sent, plus the id of the previous interaction.
  const second = await env.client.create({
    model: env.model,
    input: 'What is my name?',
    previous_interaction_id: first.interaction.id,
  });
  console.log(`User: What is my name?`);
  console.log(`Model: ${lastText(second.interaction.output)}`);
} finally {
  await env.close();
}

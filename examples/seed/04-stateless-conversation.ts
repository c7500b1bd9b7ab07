/**
 * Seed: "Stateless conversation" — the client keeps the history and sends all of it every turn. In the steps
 * revision a history is a list of steps: `user_input` and the model's own output steps, echoed back as they
 * came (thoughts keep their signatures).
 *
 *   node examples/seed/04-stateless-conversation.ts
 */
import type { Step } from '@interplay/protocol';
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const history: Step[] = [
    { type: 'user_input', content: [{ type: 'text', text: 'What are the three largest cities in Spain?' }] },
  ];

  const first = await env.client.create({ model: env.model, input: history, store: false });
  console.log(`Model: ${lastText(first.interaction.output)}`);

  history.push(...first.interaction.output);
  history.push({
    type: 'user_input',
    content: [{ type: 'text', text: 'What is the most famous landmark in the second one?' }],
  });

  const second = await env.client.create({ model: env.model, input: history, store: false });
  console.log(`Model: ${lastText(second.interaction.output)}`);
  console.log(`(${history.length} steps sent on the second turn; store: false, nothing kept server-side)`);
} finally {
  await env.close();
}

/**
 * Agents: a triage agent handing off to two specialists.
 *
 *   node examples/agents/triage-handoff.ts
 *
 * The triage agent has no tools of its own, only two handoffs (`transfer_to_billing`, `transfer_to_support`).
 * The model takes one; the same conversation goes on under the specialist's instructions and tools — first
 * on the server's chain (`previous_interaction_id`), then once more in stateless mode, where the client
 * keeps the history and an input filter decides what the specialist sees. `result.lastAgent` says who
 * answered.
 *
 * Offline, the scripted model gets a rule per agent (below; it tells the agents apart by the tools they
 * offer); live Gemini needs none.
 */
import { Agent, handoff, keepConversation, Runner, tool } from '@interplay/core';
import { z } from 'zod';
import { setup } from '../_shared/setup.ts';

const env = await setup({
  rules: [
    {
      name: 'triage: a billing question',
      when: { input: 'charged|invoice|refund', tools: ['transfer_to_billing'], last: 'user_input' },
      respond: [{ type: 'function_call', name: 'transfer_to_billing', arguments: {} }],
    },
    {
      name: 'triage: an account question',
      when: { input: 'log ?in|password', tools: ['transfer_to_support'], last: 'user_input' },
      respond: [{ type: 'function_call', name: 'transfer_to_support', arguments: {} }],
    },
    {
      name: 'billing: answers after the handoff',
      when: { input: 'charged twice', tools: ['find_charges'], last: 'function_result' },
      respond: 'Billing here: the second €20 charge of 12 Nov is a duplicate; I am refunding it.',
    },
    {
      name: 'support: send a reset link',
      when: { input: 'password', tools: ['reset_password'], last: 'function_result' },
      respond: 'Support here: I sent a reset link to your inbox.',
    },
  ],
});

const findCharges = tool({
  name: 'find_charges',
  description: "Lists the customer's charges this month.",
  parameters: z.object({ customer: z.string() }),
  execute: ({ customer }) => `${customer}: ch_1 €20 (12 Nov), ch_2 €20 (12 Nov, duplicate)`,
});
const resetPassword = tool({
  name: 'reset_password',
  description: 'Sends a password reset link.',
  parameters: z.object({}),
  execute: () => 'link sent',
});

const billing = new Agent({
  name: 'billing',
  instructions: 'You handle charges, invoices and refunds. Look the charges up before answering.',
  handoffDescription: 'Charges, invoices and refunds.',
  tools: [findCharges],
});
const support = new Agent({
  name: 'support',
  instructions: 'You help customers with logins and passwords.',
  handoffDescription: 'Logins and passwords.',
  tools: [resetPassword],
});
const triage = new Agent({
  name: 'triage',
  instructions: 'Find out what the customer needs and hand the conversation to the right specialist.',
  handoffs: [billing, support],
});

try {
  const runner = new Runner({ client: env.client, model: env.model, maxSteps: 6 });
  for (const question of ['I was charged twice this month.', 'I forgot my password.']) {
    console.log(`User: ${question}`);
    const handle = runner.start(triage, question);
    handle.on('handoff', (e) => console.log(`  ↪ handoff: ${e.from} → ${e.to}`));
    handle.on('tool_call', (e) => console.log(`  → ${e.call.name}(${JSON.stringify(e.call.arguments)})`));
    const result = await handle.result;
    console.log(`${result.lastAgent.name}: ${result.text}\n`);
  }

  // Stateless: the client keeps the history (store: false); the filter keeps only what people and models said.
  const private_ = new Agent({
    name: 'triage',
    instructions: triage.instructions,
    handoffs: [handoff(support, { inputFilter: keepConversation })],
  });
  const stateless = new Runner({ client: env.client, model: env.model, mode: 'stateless' });
  const result = await stateless.run(private_, 'I cannot log in, please reset my password.');
  console.log(`(stateless) ${result.lastAgent.name}: ${result.text}`);
  console.log(
    `(stateless) history kept by the client: ${result.state.history.map((i) => i.type).join(' → ')}`,
  );
} finally {
  await env.close();
}

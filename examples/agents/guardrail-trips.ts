/**
 * Agents: a guardrail that trips.
 *
 *   node examples/agents/guardrail-trips.ts
 *
 * An input guardrail runs next to the first model call and must pass before any tool runs: asked to wire
 * money, the model calls `transfer_money`, but the guardrail trips first and the run ends with
 * `InputGuardrailTripwireTriggered` — the tool never ran. An output guardrail (a zod schema) checks the
 * final answer of a second question.
 *
 * Offline, the scripted model gets the rules below; live Gemini needs none.
 */
import {
  Agent,
  GuardrailTripwireError,
  InputGuardrailTripwireTriggered,
  Runner,
  tool,
  z,
} from '@interplay/core';
import { setup } from '../_shared/setup.ts';

const env = await setup({
  rules: [
    {
      name: 'wire money',
      when: { input: 'send (?<amount>\\d+)', tools: ['transfer_money'], last: 'user_input' },
      respond: [
        { type: 'function_call', name: 'transfer_money', arguments: { amount: '{{amount}}', to: 'unknown' } },
      ],
    },
    {
      name: 'balance',
      when: { input: 'balance', last: 'user_input' },
      respond: 'Your balance is 120 EUR. Call me on +1 555 0100 for more.',
    },
  ],
});

let transfers = 0;
const transferMoney = tool({
  name: 'transfer_money',
  description: 'Wires money.',
  parameters: z.object({ amount: z.coerce.number(), to: z.string() }),
  execute: () => {
    transfers++;
    return 'sent';
  },
});

const teller = new Agent({
  name: 'teller',
  instructions: 'You are a bank teller.',
  tools: [transferMoney],
  inputGuardrails: [
    {
      name: 'no_transfers_in_chat',
      check: (text) => ({
        tripwire: /send|wire|transfer/i.test(text),
        info: 'transfers need the banking app',
      }),
    },
  ],
  // The answer must not carry a phone number.
  outputGuardrails: [{ name: 'no_phone_numbers', check: z.string().regex(/^[^+]*$/, 'no phone numbers') }],
});

try {
  const runner = new Runner({ client: env.client, model: env.model });
  for (const question of ['Please send 500 EUR to my landlord.', 'What is my balance?']) {
    console.log(`User: ${question}`);
    try {
      const result = await runner.run(teller, question);
      console.log(`Teller: ${result.text}`);
    } catch (error) {
      if (!(error instanceof GuardrailTripwireError)) throw error;
      const kind = error instanceof InputGuardrailTripwireTriggered ? 'input' : error.kind;
      console.log(`Tripped (${kind}): ${error.guardrail} — ${JSON.stringify(error.info)} [${error.code}]`);
    }
  }
  console.log(`transfer_money ran ${transfers} times`);
} finally {
  await env.close();
}

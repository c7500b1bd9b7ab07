/**
 * Handoffs over the REAL Interactions server (127.0.0.1, scripted model), stateful and stateless: the
 * conversation goes on under the other agent's instructions and tools, and the result names it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  AgentDefinitionError,
  handoff,
  keepConversation,
  type RunEvent,
  Runner,
  RunState,
  run,
  tool,
} from '../src/index.ts';
import { clientAt, MODEL } from './agents/fixtures.ts';
import { type ScriptedServer, startScriptedServer } from './agents/server.ts';
import { recordingBackend } from './http/server.ts';

const refundCharge = tool({
  name: 'refund_charge',
  description: 'Refunds a charge.',
  parameters: z.object({ chargeId: z.string() }),
  execute: ({ chargeId }) => `refunded ${chargeId}`,
});
const resetPassword = tool({
  name: 'reset_password',
  description: 'Sends a password reset link.',
  parameters: z.object({}),
  execute: () => 'link sent',
});

const billing = new Agent({
  name: 'billing',
  instructions: 'You handle billing.',
  handoffDescription: 'Charges, invoices and refunds.',
  tools: [refundCharge],
});
const support = new Agent({
  name: 'support',
  instructions: ({ context }: { context: { user: string } }) =>
    `You help ${context.user} with their account.`,
  handoffDescription: 'Logins and passwords.',
  tools: [resetPassword],
});
const triage = new Agent({
  name: 'triage',
  instructions: 'Send the customer to the right specialist.',
  handoffs: [billing, support],
});

const RULES = [
  {
    name: 'triage: billing question',
    when: { input: 'charged twice', tools: ['transfer_to_billing'], last: 'user_input' },
    respond: [
      { type: 'thought', summary: 'A billing question.', signature: 'sig-triage' },
      { type: 'function_call', name: 'transfer_to_billing', arguments: {} },
    ],
  },
  {
    name: 'triage: login question',
    when: { input: 'log in', tools: ['transfer_to_support'], last: 'user_input' },
    respond: [{ type: 'function_call', name: 'transfer_to_support', arguments: {} }],
  },
  {
    name: 'billing answers after the handoff',
    when: { tools: ['refund_charge'], last: 'function_result' },
    respond: 'Billing here ({{last.result}}): I will refund the second charge.',
  },
  {
    name: 'support answers after the handoff',
    when: { tools: ['reset_password'], last: 'function_result' },
    respond: 'Support here: check your inbox.',
  },
];

let srv: ScriptedServer;
beforeAll(async () => {
  srv = await startScriptedServer(RULES);
});
afterAll(async () => {
  await srv?.close();
});

describe('handoffs', () => {
  it('stateful: the chain continues by previous_interaction_id under the specialist', async () => {
    const backend = recordingBackend(clientAt(srv.url));
    const runner = new Runner({ backend, model: MODEL });
    const handle = runner.start(triage, 'I was charged twice');
    const events: RunEvent[] = [];
    handle.on('handoff', (e) => events.push(e));
    const result = await handle.result;

    expect(result.finishReason).toBe('completed');
    expect(result.lastAgent).toBe(billing);
    expect(result.text).toBe('Billing here ({"assistant":"billing"}): I will refund the second charge.');
    expect(events).toEqual([
      expect.objectContaining({ type: 'handoff', from: 'triage', to: 'billing', step: 1 }),
    ]);
    const [first, second] = backend.requests;
    expect(first?.system_instruction).toBe('Send the customer to the right specialist.');
    expect(first?.tools?.map((t) => ('name' in t ? t.name : t.type))).toEqual([
      'transfer_to_billing',
      'transfer_to_support',
    ]);
    expect(second?.system_instruction).toBe('You handle billing.');
    expect(second?.tools?.map((t) => ('name' in t ? t.name : t.type))).toEqual(['refund_charge']);
    expect(second?.previous_interaction_id).toBe(result.steps[0]?.interactionId);
    expect(second?.input).toEqual([
      expect.objectContaining({ type: 'function_result', name: 'transfer_to_billing' }),
    ]);
    expect(JSON.parse(JSON.stringify(result.state))).toMatchObject({ schemaVersion: 3, agent: 'billing' });
  });

  it('streamed: the same handoff, with text deltas from the specialist', async () => {
    const runner = new Runner({ client: clientAt(srv.url), model: MODEL, stream: true });
    const handle = runner.start(triage, 'I was charged twice');
    const deltas: string[] = [];
    handle.on('text_delta', (e) => deltas.push(e.delta));
    const result = await handle.result;
    expect(result.lastAgent.name).toBe('billing');
    expect(deltas.join('')).toBe(result.text);
  });

  it('instructions from the run context; the handoff tool describes the specialist', async () => {
    const backend = recordingBackend(clientAt(srv.url));
    const result = await new Runner({ backend, model: MODEL }).run(triage, 'I cannot log in', {
      context: { user: 'Ann' },
    });
    expect(result.lastAgent.name).toBe('support');
    expect(result.text).toBe('Support here: check your inbox.');
    expect(backend.requests[1]?.system_instruction).toBe('You help Ann with their account.');
    const offered = backend.requests[0]?.tools?.find((t) => 'name' in t && t.name === 'transfer_to_support');
    expect(offered).toMatchObject({ description: 'Hand the conversation to support. Logins and passwords.' });
  });

  it('stateless: the client history goes to the specialist, through the input filter', async () => {
    const filtered = new Agent({
      name: 'triage',
      instructions: 'Send the customer to the right specialist.',
      handoffs: [handoff(billing, { inputFilter: keepConversation })],
    });
    const backend = recordingBackend(clientAt(srv.url));
    const runner = new Runner({ backend, model: MODEL, mode: 'stateless' });
    const result = await runner.run(filtered, 'I was charged twice, order 7');

    expect(result.lastAgent.name).toBe('billing');
    expect(result.text).toContain('Billing here');
    const second = backend.requests[1];
    expect(second?.store).toBe(false);
    expect(second?.previous_interaction_id).toBeUndefined();
    expect(second?.system_instruction).toBe('You handle billing.');
    // The user's turn, then the handoff step's own output (thought with its signature, the call), then its result.
    expect(second?.input.map((item) => item.type)).toEqual([
      'user_input',
      'thought',
      'function_call',
      'function_result',
    ]);
    expect(result.state.history.at(-1)).toMatchObject({ type: 'model_output' });
  });

  it('stateless: a filter that drops the user’s words is what the specialist gets', async () => {
    const redacting = new Agent({
      name: 'triage',
      handoffs: [
        handoff(billing, {
          inputFilter: (history) =>
            history.map((item) =>
              item.type === 'user_input'
                ? { type: 'user_input', content: [{ type: 'text', text: '[redacted]' }] }
                : item,
            ),
        }),
      ],
    });
    const backend = recordingBackend(clientAt(srv.url));
    await new Runner({ backend, model: MODEL, mode: 'stateless' }).run(
      redacting,
      'I was charged twice, card 4242',
    );
    expect(backend.requests[1]?.input[0]).toEqual({
      type: 'user_input',
      content: [{ type: 'text', text: '[redacted]' }],
    });
  });

  it('a paused state names the agent answering; another runner resumes under it', async () => {
    const deleteCharge = tool({
      name: 'refund_charge',
      description: 'Refunds a charge (needs approval).',
      parameters: z.object({ chargeId: z.string() }),
      needsApproval: true,
      execute: ({ chargeId }) => `refunded ${chargeId}`,
    });
    const careful = new Agent({ name: 'billing', instructions: 'Careful billing.', tools: [deleteCharge] });
    const front = new Agent({ name: 'triage', handoffs: [careful] });
    const local = await startScriptedServer([
      RULES[0] as (typeof RULES)[number],
      {
        name: 'billing refunds',
        when: { tools: ['refund_charge'], last: 'function_result', input: 'charged twice' },
        respond: [{ type: 'function_call', name: 'refund_charge', arguments: { chargeId: 'ch_2' } }],
      },
    ]);
    try {
      const paused = await run(front, 'I was charged twice', { client: clientAt(local.url), model: MODEL });
      expect(paused.finishReason).toBe('interrupted');
      expect(paused.lastAgent.name).toBe('billing');
      const state = RunState.fromJSON(JSON.stringify(paused.state));
      expect(state.agent).toBe('billing');
      expect(state.interruptions.map((p) => p.toolName)).toEqual(['refund_charge']);
    } finally {
      await local.close();
    }
  });

  it('refuses an input filter in stateful mode, naming the handoff', async () => {
    const agent = new Agent({
      name: 'triage',
      handoffs: [handoff(billing, { inputFilter: keepConversation })],
    });
    await expect(run(agent, 'hi', { client: clientAt(srv.url), model: MODEL })).rejects.toThrow(
      AgentDefinitionError,
    );
    await expect(run(agent, 'hi', { client: clientAt(srv.url), model: MODEL })).rejects.toThrow(
      /transfer_to_billing.*inputFilter.*stateless/,
    );
  });
});

// A user's own agent test, with vitest and the testing kit: the scripted model asks for the tool, the agent
// runs it, and the test checks both the answer and what the agent sent the model.
import { createTestEnvironment, type TestEnvironment } from '@interplay/cli/testing';
import { Runner, tool, z } from '@interplay/core';
import { afterAll, beforeAll, expect, it } from 'vitest';

const lookUpOrder = tool({
  name: 'look_up_order',
  description: 'The status of an order',
  parameters: z.object({ orderId: z.string() }),
  execute: async ({ orderId }) => ({ orderId, status: 'shipped' }),
});

let env: TestEnvironment;
beforeAll(async () => {
  env = await createTestEnvironment({
    script: {
      rules: [
        {
          when: { input: 'order (?<id>\\d+)', tools: ['look_up_order'], last: 'user_input' },
          respond: [{ type: 'function_call', name: 'look_up_order', arguments: { orderId: '{{id}}' } }],
        },
        {
          when: { last: 'function_result' },
          respond: 'Order {{last.result.orderId}} has {{last.result.status}}.',
        },
      ],
    },
  });
});
afterAll(() => env.close());

it('answers from the tool result', async () => {
  const runner = new Runner({ client: env.client, model: 'test-model', tools: [lookUpOrder] });
  const result = await runner.run('Where is order 1234?');
  expect(result.text).toBe('Order 1234 has shipped.');
  expect(env.modelCalls).toHaveLength(2);
  expect(env.modelCalls[0]?.tools?.map((t) => t.type)).toEqual(['function']);
});

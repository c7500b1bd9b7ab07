/**
 * The client suite's client, stream and wait tests against Interplay's own server (see own-server.ts), plus
 * what the suite skips there because it needs the fake's transcripts: `wait` returning a server's
 * `requires_action`. The errors/retries half runs in own-server-errors.test.ts (two files run in parallel).
 */
import { describe, expect, it } from 'vitest';
import { OWN_SERVER_MODEL, useOwnServer } from './own-server.ts';

const own = await useOwnServer();

describe('own server', () => {
  it('the suite below talks to createInteractionsServer, not to the fake API', async () => {
    const t = await own.target.startTarget();
    try {
      expect(t.fake).toBeUndefined();
      const { interaction } = await t.client().create({ model: OWN_SERVER_MODEL, input: 'Hello' });
      expect(interaction.status).toBe('completed');
      expect(await own.server.store?.getInteraction(interaction.id, null)).toMatchObject({
        status: 'completed',
      });
    } finally {
      await t.close();
    }
  });

  it.each(['steps', 'legacy'] as const)(
    'wait returns requires_action from a background function call (%s)',
    async (revision) => {
      const t = await own.target.startTarget();
      try {
        const client = t.client({ revision });
        const { interaction } = await client.create({
          model: OWN_SERVER_MODEL,
          input: 'What is the weather in Boston?',
          tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }],
          background: true,
        });
        expect(interaction.status).toBe('in_progress');
        const result = await client.wait(interaction.id);
        expect(result.interaction.status).toBe('requires_action');
        const call = result.interaction.output.find((i) => i.type === 'function_call');
        expect(call).toMatchObject({ name: 'get_weather', arguments: { location: 'Boston' } });
      } finally {
        await t.close();
      }
    },
  );

  describe('client.test.ts', async () => {
    await import('../client.test.ts');
  });
  describe('stream.test.ts', async () => {
    await import('../stream.test.ts');
  });
  describe('wait.test.ts', async () => {
    await import('../wait.test.ts');
  });
});

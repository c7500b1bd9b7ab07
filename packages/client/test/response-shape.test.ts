/**
 * What a received Interaction is checked for (read-interaction.ts): the fields the canonical model and its
 * readers rely on, named by path when wrong; everything else is kept as sent. Against a small server
 * answering each path with its own body, for both revisions.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteractionsClient } from '../src/index.ts';

const CALL = { type: 'function_call', id: 'c1', name: 'noop', arguments: { q: 'x' } };
const done = (extra: Record<string, unknown>) => ({ id: 'v1_a', status: 'completed', ...extra });

/** Response bodies by interaction id (`GET /v1/interactions/{id}`). */
const BODIES: Record<string, unknown> = {
  'call-name': done({ steps: [{ ...CALL, name: 5 }] }),
  'call-arguments': done({ steps: [{ ...CALL, arguments: 'x' }] }),
  'no-id': { status: 'completed', steps: [] },
  'untyped-step': done({ steps: [CALL, { id: 'x' }] }),
  'nested-text': done({ steps: [{ type: 'model_output', content: [{ type: 'text', text: null }] }] }),
  usage: done({ steps: [], usage: { total_tokens: '8' } }),
  'not-object': [1, 2],
  'legacy-output': done({ outputs: [{ type: 'text', text: 3 }] }),
  // What nobody reads is kept as sent: unknown step types and fields, and the echo of the request's tools.
  kept: done({
    steps: [{ type: 'future_step', payload: { a: 1 } }, CALL],
    tools: [{ type: 'function', name: 'noop', parameters: 'not a schema' }],
    labels: { team: 'x' },
    extension: 42,
  }),
};

function startServer() {
  const server = http.createServer((req, res) => {
    const id = (req.url ?? '').split('/').at(-1) ?? '';
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(BODIES[id]));
  });
  return {
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('the Interaction a response carries', () => {
  const server = startServer();
  const dispatcher = new Agent({ keepAliveTimeout: 1_000 });
  let baseUrl = '';
  const client = (revision: 'steps' | 'legacy' = 'steps') =>
    new InteractionsClient({ baseUrl, apiKey: 'k', dispatcher, revision, maxRetries: 0 });
  const failure = (id: string, revision: 'steps' | 'legacy' = 'steps') =>
    client(revision)
      .get(id)
      .then(
        () => undefined,
        (e: unknown) => e as Error & { code: string },
      );
  beforeAll(async () => {
    baseUrl = await server.listen();
  });
  afterAll(async () => {
    await dispatcher.destroy();
    await server.close();
  });

  it.each([
    ['call-name', "Expected a string at 'steps[0].name', got an integer."],
    ['call-arguments', "Expected an object at 'steps[0].arguments', got a string."],
    ['no-id', "'id' is required."],
    ['untyped-step', "'steps[1].type' is required."],
    ['nested-text', "Expected a string at 'steps[0].content[0].text', got null."],
    ['usage', "Expected a number at 'usage.total_tokens', got a string."],
    ['not-object', 'Expected an object, got an array.'],
  ])('%s: a typed api_error naming the field', async (id, message) => {
    const error = await failure(id);
    expect(error).toMatchObject({ code: 'api_error' });
    expect(error?.message).toBe(`Invalid interaction in response: ${message}`);
  });

  it('legacy: the outputs are checked the same way', async () => {
    const error = await failure('legacy-output', 'legacy');
    expect(error?.message).toBe(
      "Invalid interaction in response: Expected a string at 'outputs[0].text', got an integer.",
    );
  });

  it('keeps what it does not read as sent: unknown steps and fields, the echoed tools', async () => {
    const { raw, interaction } = await client().get('kept');
    expect(raw).toEqual(BODIES.kept);
    expect(interaction.output).toEqual([{ type: 'future_step', payload: { a: 1 } }, CALL]);
    expect(interaction.tools).toEqual([{ type: 'function', name: 'noop', parameters: 'not a schema' }]);
  });
});

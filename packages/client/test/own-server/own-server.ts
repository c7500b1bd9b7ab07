/**
 * Interplay's own server for the client suite: `createInteractionsServer` on 127.0.0.1:0, and the suite's
 * target variables pointed at it, so that the suite modules imported afterwards (in the same test file) run
 * against it exactly as `INTERPLAY_CLIENT_TEST_TARGET=<url> npx vitest run packages/client` would.
 *
 * Open mode (no keys): the suite sets GEMINI_API_KEY and other keys freely. In-memory store. The scripted
 * model answers the suite's prompts with enough words for the stream tests (faults after up to 6 events)
 * and slowly enough (`delay_ms` between deltas) that a background run is still going when the wait/cancel
 * tests poll, abort or cancel it (they act 80–150 ms in).
 */
import { afterAll } from 'vitest';
import { createInteractionsServer, type InteractionsServer } from '../../../server/src/index.ts';

export const OWN_SERVER_MODEL = 'gemini-3-flash-preview';
export const OWN_SERVER_API_KEY = 'own-server-key';

const words = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join(' ');

/** With 10 ms between deltas: research ≈ 450 ms, story ≈ 150 ms, anything else ≈ 100 ms. */
export const OWN_SERVER_SCRIPT = {
  description: 'Answers for the client suite run against the own server.',
  delay_ms: 10,
  rules: [
    {
      name: 'a client function (the requires_action flow)',
      when: { input: 'weather in (?<city>\\w+)', tools: ['get_weather'], last: 'user_input' },
      respond: [{ type: 'function_call', name: 'get_weather', arguments: { location: '{{city}}' } }],
    },
    {
      name: 'background research (wait tests): long enough to be polled, aborted and cancelled',
      when: { input: 'research' },
      respond: [{ type: 'text', text: `Research notes: ${words(40, 'finding')}.` }],
    },
    {
      name: 'story (stream tests)',
      when: { input: 'story' },
      respond: [{ type: 'text', text: `Once upon a time ${words(10, 'word')}. The end.` }],
    },
    {
      name: 'anything else (Hello, Hi): a background one can still be cancelled',
      respond: [{ type: 'text', text: `Hello from the Interplay server: ${words(8, 'w')}.` }],
    },
  ],
};

export interface OwnServer {
  url: string;
  server: InteractionsServer;
  /** `support/target.ts`, imported after the variables were set: the suite's view of its target. */
  target: typeof import('../support/target.ts');
}

const VARIABLES = {
  INTERPLAY_CLIENT_TEST_TARGET: (url: string) => url,
  INTERPLAY_CLIENT_TEST_MODEL: () => OWN_SERVER_MODEL,
  INTERPLAY_CLIENT_TEST_API_KEY: () => OWN_SERVER_API_KEY,
};

/**
 * Start the server and point the client suite at it; call at the top level of a test file, before importing
 * suite modules. Closes the server and restores the variables after the file's tests.
 */
export async function useOwnServer(): Promise<OwnServer> {
  const server = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    dbPath: ':memory:',
    script: OWN_SERVER_SCRIPT,
    builtins: false,
    mcp: false,
    shutdownGraceMs: 100,
  });
  const { url } = await server.listen();
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(VARIABLES)) {
    saved.set(name, process.env[name]);
    process.env[name] = value(url);
  }
  afterAll(async () => {
    await server.close();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  // Each test file has its own module graph, so target.ts is evaluated now, with the variables set.
  const target = await import('../support/target.ts');
  if (target.EXTERNAL_TARGET !== url) throw new Error('support/target.ts was loaded before useOwnServer()');
  return { url, server, target };
}

/**
 * A Runner given no client picks one from the environment: INTERPLAY_BASE_URL (with INTERPLAY_API_KEY), else
 * live Gemini with GEMINI_API_KEY, else an error naming both. Against our server with API keys configured,
 * so a key that is (or is not) sent shows in the answer.
 */
import { createInteractionsServer, type InteractionsServer } from '@interplay/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientBackend, clientFromEnv, InterplayError, Runner } from '../src/index.ts';
import { getWeather } from './helpers/tools.ts';
import { SCRIPT } from './http/script.ts';

const INTERPLAY_KEY = 'interplay-key';
const GEMINI_KEY = 'gemini-key-also-accepted-here';

let server: InteractionsServer;
let url: string;
beforeAll(async () => {
  server = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    dbPath: ':memory:',
    script: SCRIPT,
    apiKeys: [INTERPLAY_KEY, GEMINI_KEY],
  });
  ({ url } = await server.listen());
});
afterAll(() => server.close());
afterEach(() => {
  vi.unstubAllEnvs();
});

function environment(vars: Record<string, string>): void {
  for (const name of ['INTERPLAY_BASE_URL', 'INTERPLAY_API_KEY', 'GEMINI_API_KEY']) vi.stubEnv(name, '');
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
}

describe('a Runner without a client', () => {
  it('runs against INTERPLAY_BASE_URL with INTERPLAY_API_KEY', async () => {
    environment({ INTERPLAY_BASE_URL: url, INTERPLAY_API_KEY: INTERPLAY_KEY, GEMINI_API_KEY: GEMINI_KEY });
    const runner = new Runner({ model: 'gemini-3-flash-preview', tools: [getWeather] });
    const result = await runner.run('What is the weather in Paris?');
    expect(result.finishReason).toBe('completed');
    expect(result.steps[0]?.toolCalls.map((c) => c.name)).toEqual(['get_weather']);
  });

  it('never sends GEMINI_API_KEY to the INTERPLAY_BASE_URL server', async () => {
    // The server would accept the Gemini key; it answers 401 because no key arrives.
    environment({ INTERPLAY_BASE_URL: url, GEMINI_API_KEY: GEMINI_KEY });
    const run = new Runner({ model: 'gemini-3-flash-preview' }).run('Hello');
    await expect(run).rejects.toMatchObject({ status: 401 });
  });

  it('uses live Gemini when only GEMINI_API_KEY is set', () => {
    environment({ GEMINI_API_KEY: GEMINI_KEY });
    expect(clientFromEnv().root).toBe('https://generativelanguage.googleapis.com/v1');
  });

  it('fails with an error that says which variable to set when neither is', () => {
    environment({});
    const make = () => new Runner({ model: 'gemini-3-flash-preview' });
    expect(make).toThrow(InterplayError);
    expect(make).toThrow(/set INTERPLAY_BASE_URL to a server .* or GEMINI_API_KEY to use live Gemini/);
    try {
      make();
    } catch (error) {
      expect((error as InterplayError).code).toBe('client_not_configured');
    }
  });

  it('names INTERPLAY_BASE_URL when it is not an http(s) URL', () => {
    environment({ INTERPLAY_BASE_URL: '127.0.0.1:8787' });
    expect(() => new Runner({ model: 'gemini-3-flash-preview' })).toThrow(
      "INTERPLAY_BASE_URL must be an http(s) URL, got '127.0.0.1:8787'.",
    );
  });

  it('an explicit client or backend wins over the environment', () => {
    environment({});
    const client = clientFromEnv({ INTERPLAY_BASE_URL: url });
    expect(() => new Runner({ client, model: 'gemini-3-flash-preview' })).not.toThrow();
    const backend = clientBackend(client);
    expect(() => new Runner({ backend, model: 'gemini-3-flash-preview' })).not.toThrow();
  });
});

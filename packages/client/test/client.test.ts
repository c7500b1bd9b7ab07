/** URLs, headers and the unary methods (create, get, delete, cancel) over real loopback HTTP. */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InteractionsClient, normalizeBaseUrl } from '../src/index.ts';
import { CREATE, modelFor, startTarget, type TestTarget } from './support/target.ts';
import { collect, outputText, streamedText } from './support/util.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('normalizeBaseUrl', () => {
  it('strips trailing slashes and a trailing version segment', () => {
    expect(normalizeBaseUrl('https://h.example/')).toEqual({ base: 'https://h.example' });
    expect(normalizeBaseUrl('https://h.example/v1beta/')).toEqual({
      base: 'https://h.example',
      version: 'v1beta',
    });
    expect(normalizeBaseUrl('http://h:1/proxy/gemini/v1')).toEqual({
      base: 'http://h:1/proxy/gemini',
      version: 'v1',
    });
    expect(normalizeBaseUrl('http://h:1/v1betax')).toEqual({ base: 'http://h:1/v1betax' });
  });
});

describe('client', () => {
  let t: TestTarget;
  const savedKey = process.env.GEMINI_API_KEY;
  beforeAll(async () => {
    t = await startTarget({ eventIntervalMs: 40 });
  });
  afterAll(() => t.close());
  afterEach(() => {
    if (savedKey === undefined) delete process.env.GEMINI_API_KEY;
    else process.env.GEMINI_API_KEY = savedKey;
  });
  const body = () => ({ model: modelFor(t), input: 'Hello' });
  const last = () => t.proxy.requests.at(-1);

  it('builds /{version}/interactions without doubling a version in baseUrl', async () => {
    await t.client().create(body());
    expect(last()?.url).toBe('/v1/interactions');
    await t.client({ baseUrl: `${t.baseUrl}/`, apiVersion: 'v1alpha' }).create(body());
    expect(last()?.url).toBe('/v1alpha/interactions');
    await t.client({ baseUrl: `${t.baseUrl}/v1beta/` }).create(body());
    expect(last()?.url).toBe('/v1beta/interactions');
    await t.client({ baseUrl: `${t.baseUrl}/v1beta`, apiVersion: 'v1' }).create(body());
    expect(last()?.url).toBe('/v1/interactions');
  });

  it('sends the key, the explicit Api-Revision and JSON headers; extra headers merge per call', async () => {
    const client = t.client({
      apiKey: 'k-1',
      revision: 'legacy',
      headers: { 'X-Team': 'a', 'x-trace': 'client' },
    });
    await client.create({ model: modelFor(t), input: 'Hi' }, { headers: { 'X-Trace': 'call' } });
    const h = last()?.headers ?? {};
    expect(h['x-goog-api-key']).toBe('k-1');
    expect(h['api-revision']).toBe('2026-05-07');
    expect(h['content-type']).toBe('application/json');
    expect(h.accept).toBe('application/json');
    expect(h['user-agent']).toBe(`interplay-client/${version}`); // package.json's, as `changeset version` sets it
    expect(h['x-team']).toBe('a');
    expect(h['x-trace']).toBe('call');
    await t.client().create(body());
    expect(last()?.headers['api-revision']).toBe('2026-05-20');
  });

  it('reads the key from GEMINI_API_KEY by default', async () => {
    process.env.GEMINI_API_KEY = 'from-env';
    await new InteractionsClient({ baseUrl: t.baseUrl, dispatcher: t.dispatcher }).create(body());
    expect(last()?.headers['x-goog-api-key']).toBe('from-env');
  });

  it.each(['steps', 'legacy'] as const)(
    'create (%s): stream forced false; raw wire + canonical result',
    async (revision) => {
      const client = t.client({ revision });
      const result = await client.create({ ...body(), stream: true });
      expect(JSON.parse(last()?.body ?? '{}')).toMatchObject({ stream: false, input: 'Hello' });
      expect(result.revision).toBe(revision);
      expect(result.raw.id).toBe(result.interaction.id);
      expect(result.interaction.status).toBe('completed');
      if (revision === 'steps') expect(Array.isArray((result.raw as { steps?: unknown }).steps)).toBe(true);
      else expect(Array.isArray((result.raw as { outputs?: unknown }).outputs)).toBe(true);
      // The unary answer and the stream replay of the same interaction tell the same text.
      const replay = await collect(await client.getStream(result.interaction.id));
      expect(outputText(result.interaction)).toBe(streamedText(replay.flatMap((e) => e.events)));
      expect(outputText(result.interaction).length).toBeGreaterThan(0);
    },
  );

  it('get (with includeInput), delete, then get is a 404', async () => {
    const client = t.client();
    const { interaction } = await client.create(body());
    const got = await client.get(interaction.id, { includeInput: true });
    expect(last()?.url).toBe(`/v1/interactions/${interaction.id}?include_input=true`);
    expect(got.interaction.id).toBe(interaction.id);
    expect(got.interaction.status).toBe('completed');
    await expect(client.delete(interaction.id)).resolves.toBeUndefined();
    expect(last()?.method).toBe('DELETE');
    await expect(client.get(interaction.id)).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('cancel stops a running background interaction (POST …/cancel without a body)', async () => {
    const client = t.client();
    const { interaction } = await client.create({ ...body(), background: true });
    expect(interaction.status).toBe('in_progress');
    const cancelled = await client.cancel(interaction.id);
    const request = last();
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`/v1/interactions/${interaction.id}/cancel`);
    expect(request?.body).toBe('');
    expect(cancelled.interaction.status).toBe('cancelled');
    expect((await client.get(interaction.id)).interaction.status).toBe('cancelled');
  });

  it('ids are URL-encoded in paths', async () => {
    const client = t.client();
    await expect(client.get('a/b?c')).rejects.toMatchObject({ status: 404 });
    expect(last()?.url).toBe('/v1/interactions/a%2Fb%3Fc');
    expect(t.proxy.count('POST', CREATE)).toBeGreaterThan(0);
  });
});

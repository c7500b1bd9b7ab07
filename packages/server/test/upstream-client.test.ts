/**
 * What the HTTP providers share (providers/shared/upstream-client.ts): the connection settings every upstream
 * call is made with, which media a provider passes on as public URIs, the model a request runs on, and a
 * `generate` whose stream ends or fails with the answer that pushes into it.
 */
import { InteractionsError } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import type { ProviderEvent, ProviderRequest } from '../src/providers/provider.ts';
import { modelFor, pushedGenerate, upstreamClient } from '../src/providers/shared/upstream-client.ts';

const request = (fields: Partial<ProviderRequest>): ProviderRequest =>
  ({ items: [], ...fields }) as unknown as ProviderRequest;

const image = { type: 'image', uri: 'https://example.com/cat.png' } as const;

describe('upstreamClient', () => {
  it('makes every call with the same connection: the API key is the secret redacted from errors', async () => {
    const client = upstreamClient(
      'openai',
      { headersTimeoutMs: 5, stallMs: 7 },
      { accepts: [], publicUris: [] },
      'sk-1',
    );
    expect(client.connection).toMatchObject({
      provider: 'openai',
      headersTimeoutMs: 5,
      stallMs: 7,
      secrets: ['sk-1'],
    });
    expect(client.connection.retry).toBe(client.retry);
    const keyless = upstreamClient('openai', {}, { accepts: [], publicUris: [] }, undefined);
    expect(keyless.connection.secrets).toEqual([]);
    await Promise.all([client.close(), keyless.close()]);
  });

  it('passes public URIs of its public media kinds on only when asked to', async () => {
    const media = { accepts: ['image'], publicUris: ['image'] } as const;
    const passing = upstreamClient('gemini', { passPublicUris: true }, media, undefined);
    const signal = new AbortController().signal;
    await expect(passing.media.prepare(image, signal)).resolves.toMatchObject({
      kind: 'uri',
      uri: image.uri,
    });
    // Without the option this server fetches the URI itself (offline the fetch fails; online it inlines the
    // bytes): either way the URI is not passed on as it is.
    const fetching = upstreamClient('gemini', { connectTimeoutMs: 50 }, media, undefined);
    const outcome = await fetching.media.prepare(image, AbortSignal.timeout(2_000)).then(
      (ready) => ready.kind,
      () => 'failed',
    );
    expect(outcome).not.toBe('uri');
    await Promise.all([passing.close(), fetching.close()]);
  });
});

describe('modelFor', () => {
  it("is the provider's own model when configured, else the request's model, else its agent", () => {
    expect(modelFor('fixed', request({ model: 'asked' }))).toBe('fixed');
    expect(modelFor(undefined, request({ model: 'asked' }))).toBe('asked');
    expect(modelFor(undefined, request({ agent: 'an-agent' }))).toBe('an-agent');
  });

  it('names the field when there is none', () => {
    let error: unknown;
    try {
      modelFor(undefined, request({}));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InteractionsError);
    expect(error).toMatchObject({ code: 'invalid_request', field: 'model' });
  });
});

describe('pushedGenerate', () => {
  const text = (delta: string) => ({ type: 'text_delta', delta }) as unknown as ProviderEvent;

  it('ends the stream when the answer is done, with what it pushed', async () => {
    const generate = pushedGenerate(async (_request, _signal, events) => {
      events.push(text('a'));
      await new Promise((r) => setTimeout(r, 1));
      events.push(text('b'));
    });
    const seen: ProviderEvent[] = [];
    for await (const event of generate(request({}), new AbortController().signal)) seen.push(event);
    expect(seen).toEqual([text('a'), text('b')]);
  });

  it("fails the stream with the answer's error", async () => {
    const generate = pushedGenerate(async () => {
      throw new InteractionsError('unavailable', 'upstream down');
    });
    const drain = async () => {
      for await (const _ of generate(request({}), new AbortController().signal)) {
        // nothing is pushed
      }
    };
    await expect(drain()).rejects.toMatchObject({ code: 'unavailable' });
  });
});

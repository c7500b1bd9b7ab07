/**
 * The issue's "done when": SDK 3.6 registers a webhook on our server, runs a background interaction, and a
 * local receiver gets an `interaction.completed` whose Standard Webhooks signature verifies with the secret
 * the SDK was given (checked with the `standardwebhooks` package, as the Gemini API docs' receivers do).
 * Then the rest of `client.webhooks`: list, get, update, ping, rotateSigningSecret, delete.
 */
import { GoogleGenAI } from 'genai-3-6';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer, textScript } from './helpers/server.ts';
import { type Receiver, signatureHeaders, startReceiver } from './helpers/webhook-receiver.ts';

const KEY = 'sdk-webhook-key';
let server: TestServer;
let receiver: Receiver;
let ai: GoogleGenAI;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startServer({
    apiKeys: [KEY],
    script: textScript('A background answer.'),
    webhooks: { allowHosts: ['127.0.0.1'] },
  });
  ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: server.url } });
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

describe('SDK 3.6 webhooks', () => {
  it('registers a webhook, runs a background interaction, and the receiver verifies interaction.completed', async () => {
    const webhook = await ai.webhooks.create({
      name: 'done-hook',
      uri: `${receiver.url}/gemini-callback`,
      subscribed_events: ['interaction.completed', 'interaction.failed'],
    });
    expect(webhook.id).toMatch(/^wh_/);
    expect(webhook.state).toBe('enabled');
    expect(webhook.new_signing_secret).toMatch(/^whsec_/);
    const secret = webhook.new_signing_secret as string;

    const created = await ai.interactions.create({
      model: 'gemini-3-flash-preview',
      input: 'Answer in the background.',
      background: true,
    });
    expect(created.status).toBe('in_progress');

    const delivery = await receiver.next();
    expect(delivery.path).toBe('/gemini-callback');
    expect(delivery.headers['content-type']).toBe('application/json');
    const event = new Webhook(secret).verify(delivery.body, signatureHeaders(delivery)) as {
      type: string;
      version: string;
      data: { id: string; status: string };
    };
    expect(event).toMatchObject({ type: 'interaction.completed', version: 'v1' });
    expect(event.data).toMatchObject({ id: created.id, status: 'completed' });

    // The pointer leads to the result.
    const done = await ai.interactions.get(created.id as string);
    expect(done.status).toBe('completed');
    expect(done.output_text).toBe('A background answer.');

    // A forged body fails verification.
    expect(() =>
      new Webhook(secret).verify(delivery.body.replace('completed', 'failed'), signatureHeaders(delivery)),
    ).toThrow();
  });

  it('lists, gets, updates, pings, rotates the secret and deletes', async () => {
    const a = await ai.webhooks.create({
      uri: `${receiver.url}/a`,
      subscribed_events: ['interaction.completed'],
    });
    const b = await ai.webhooks.create({
      uri: `${receiver.url}/b`,
      subscribed_events: ['interaction.failed'],
    });

    const page = await ai.webhooks.list({ page_size: 1 });
    expect(page.webhooks).toHaveLength(1);
    expect(page.next_page_token).toBeTruthy();
    const rest = await ai.webhooks.list({ page_size: 100, page_token: page.next_page_token as string });
    const ids = [...(page.webhooks ?? []), ...(rest.webhooks ?? [])].map((w) => w.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));

    const got = await ai.webhooks.get(a.id as string);
    expect(got).toMatchObject({ id: a.id, uri: `${receiver.url}/a`, state: 'enabled' });
    expect(got.new_signing_secret).toBeUndefined();
    expect(got.signing_secrets?.[0]?.truncated_secret).toBe(
      `whsec_…${(a.new_signing_secret as string).slice(-4)}`,
    );

    const updated = await ai.webhooks.update(a.id as string, {
      name: 'renamed',
      subscribed_events: ['interaction.completed', 'interaction.requires_action'],
    });
    expect(updated).toMatchObject({
      name: 'renamed',
      subscribed_events: ['interaction.completed', 'interaction.requires_action'],
    });

    // The ping arrives signed with the current secret.
    const before = receiver.deliveries.length;
    // The SDK adds `sdkHttpResponse`; the body itself is `{}`.
    const { sdkHttpResponse: _, ...pingBody } = (await ai.webhooks.ping(a.id as string)) as Record<
      string,
      unknown
    >;
    expect(pingBody).toEqual({});
    const ping = receiver.deliveries[before];
    expect(ping?.path).toBe('/a');
    const pinged = new Webhook(a.new_signing_secret as string).verify(
      ping?.body as string,
      signatureHeaders(ping!),
    );
    expect(pinged).toMatchObject({ type: 'webhook.ping', data: { id: a.id } });

    // Rotation with the 24 h grace: both secrets sign (two signatures), each verifies on its own.
    const rotated = await ai.webhooks.rotateSigningSecret(a.id as string, {
      revocation_behavior: 'revoke_previous_secrets_after_h24',
    });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect((await ai.webhooks.get(a.id as string)).signing_secrets).toHaveLength(2);
    await ai.webhooks.ping(a.id as string);
    const second = receiver.deliveries.at(-1)!;
    expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(2);
    new Webhook(rotated.secret as string).verify(second.body, signatureHeaders(second));
    new Webhook(a.new_signing_secret as string).verify(second.body, signatureHeaders(second));

    // Immediate revocation: only the newest secret signs.
    const again = await ai.webhooks.rotateSigningSecret(a.id as string, {
      revocation_behavior: 'revoke_previous_secrets_immediately',
    });
    await ai.webhooks.ping(a.id as string);
    const third = receiver.deliveries.at(-1)!;
    new Webhook(again.secret as string).verify(third.body, signatureHeaders(third));
    expect(() => new Webhook(rotated.secret as string).verify(third.body, signatureHeaders(third))).toThrow();

    await ai.webhooks.delete(b.id as string);
    await expect(ai.webhooks.get(b.id as string)).rejects.toMatchObject({ statusCode: 404 });
  });
});

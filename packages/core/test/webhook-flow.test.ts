/**
 * Webhooks from a user's side, against our real server over loopback: `verifyWebhook` checks both signing
 * schemes (a registered webhook's secret; a request's URI by the server's JWKS), and a flow's background step
 * waits for its webhook (`webhook: { uri, inbox }`) instead of following the run, then continues the chain.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InteractionsClient } from '@interplay/client';
import { createInteractionsServer, type InteractionsServer } from '@interplay/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chain,
  FlowHandle,
  FlowResumeError,
  modelStep,
  verifyWebhook,
  type WebhookEvent,
  WebhookInbox,
  WebhookVerificationError,
} from '../src/index.ts';

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
}

let api: InteractionsServer;
let apiUrl: string;
let receiver: Server;
let receiverUrl: string;
/** Every delivery, and what the test's handler made of it. */
const received: Received[] = [];
let onDelivery: (d: Received) => void = () => {};

beforeAll(async () => {
  api = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    dbPath: ':memory:',
    script: {
      // Slow enough that a step checking right after create finds its run still going.
      delay_ms: 25,
      rules: [
        { when: { input: 'summar' }, respond: [{ type: 'text', text: 'Summary: tea is old.' }] },
        { respond: [{ type: 'text', text: 'A long report about the history of tea.' }] },
      ],
    },
    webhooks: { allowHosts: ['127.0.0.1'] },
  });
  apiUrl = (await api.listen()).url;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const delivery = { body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
      received.push(delivery);
      res.writeHead(200).end();
      onDelivery(delivery);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await api.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const client = () =>
  new InteractionsClient({
    baseUrl: apiUrl,
    apiVersion: 'v1beta',
    apiKey: 'k',
    revision: 'steps',
    maxRetries: 0,
  });
const nextDelivery = () => new Promise<Received>((resolve) => (onDelivery = resolve));

describe('verifyWebhook', () => {
  it("verifies a registered webhook's delivery with its secret, and refuses a tampered one", async () => {
    const created = await fetch(`${apiUrl}/v1beta/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ uri: `${receiverUrl}/static`, subscribed_events: ['interaction.completed'] }),
    });
    const { id, new_signing_secret: secret } = (await created.json()) as {
      id: string;
      new_signing_secret: string;
    };
    const delivered = nextDelivery();
    const interaction = await client().create({ model: 'm', input: 'hello', background: true });
    const { body, headers } = await delivered;

    const event = await verifyWebhook(body, headers as Record<string, string>, {
      secret: ['whsec_b3RoZXI=', secret],
    });
    expect(event).toMatchObject({ type: 'interaction.completed', data: { id: interaction.interaction.id } });
    expect(event.webhookId).toBe(headers['webhook-id']);

    await expect(
      verifyWebhook(body.replace('completed', 'failed'), headers as Record<string, string>, { secret }),
    ).rejects.toMatchObject({ name: 'WebhookVerificationError', code: 'bad_signature' });
    const { 'webhook-signature': _, ...unsigned } = headers;
    await expect(verifyWebhook(body, unsigned as Record<string, string>, { secret })).rejects.toMatchObject({
      code: 'missing_header',
    });
    await fetch(`${apiUrl}/v1beta/webhooks/${id}`, { method: 'DELETE' });
  });

  it("verifies a per-request delivery's JWT against the server's JWKS, for its own URI only", async () => {
    const uri = `${receiverUrl}/dynamic`;
    const delivered = nextDelivery();
    const { interaction } = await client().create({
      model: 'm',
      input: 'hello',
      background: true,
      webhook_config: { uris: [uri], user_metadata: { job: 7 } },
    });
    const { body, headers } = await delivered;
    const jwksUrl = `${apiUrl}/.well-known/jwks.json`;
    const event = await verifyWebhook(body, headers as Record<string, string>, {
      jwksUrl,
      audience: uri,
      issuer: apiUrl,
    });
    expect(event.data).toMatchObject({ id: interaction.id, user_metadata: { job: 7 } });

    const other = verifyWebhook(body, headers as Record<string, string>, {
      jwksUrl,
      audience: `${receiverUrl}/other`,
    });
    await expect(other).rejects.toBeInstanceOf(WebhookVerificationError);
    const swapped = body.replace(interaction.id, 'v1_someone_else');
    await expect(
      verifyWebhook(swapped, headers as Record<string, string>, { jwksUrl, audience: uri }),
    ).rejects.toMatchObject({
      code: 'bad_signature',
    });
  });
});

describe('a flow step waiting by webhook', () => {
  it('creates the background step with webhook_config, resumes on the verified event, and continues the chain', async () => {
    const inbox = new WebhookInbox();
    const uri = `${receiverUrl}/flow`;
    const events: WebhookEvent[] = [];
    onDelivery = (d) => {
      void verifyWebhook(d.body, d.headers as Record<string, string>, {
        jwksUrl: `${apiUrl}/.well-known/jwks.json`,
        audience: uri,
      }).then((event) => {
        events.push(event);
        inbox.deliver(event);
      });
    };
    const research = modelStep({
      name: 'research',
      model: 'm',
      background: true,
      webhook: { uri, inbox, userMetadata: { flow: 'tea' } },
    });
    const summarize = modelStep({ name: 'summarize', model: 'm', input: 'Summarize it.' });
    const handle = await chain(research, summarize).start(client(), 'Research tea');
    const flowEvents: string[] = [];
    handle.on('text_delta', (e) => flowEvents.push(`${e.step}:${e.type}`));
    const result = await handle.result();

    expect(result.status).toBe('completed');
    expect(result.text).toBe('Summary: tea is old.');
    expect(result.steps.research?.text).toBe('A long report about the history of tea.');
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({
      id: result.steps.research?.interactionId,
      user_metadata: { flow: 'tea' },
    });
    // It waited for the webhook: the research step streamed nothing.
    expect(flowEvents.filter((e) => e.startsWith('research:'))).toEqual([]);
  });

  it('resumes from a saved handle with a new inbox, and does not wait for an event sent while detached', async () => {
    const uri = `${receiverUrl}/resume`;
    const research = (inbox: WebhookInbox) =>
      modelStep({ name: 'research', model: 'm', background: true, webhook: { uri, inbox } });
    // The event of the run: it arrives while no process waits (nothing hands it to an inbox).
    const sent = nextDelivery();
    const handle = await chain(research(new WebhookInbox())).start(client(), 'Research tea');
    const saved = JSON.stringify(handle);
    handle.detach();
    expect((await handle.result()).status).toBe('detached');
    expect(JSON.parse(saved).definition.steps[0].webhook).toEqual({ uri });
    await sent;

    // The inbox is this process's: resuming needs the flow, which brings a new one.
    expect(() => FlowHandle.fromJSON(saved, client())).toThrow(FlowResumeError);
    expect(() => FlowHandle.fromJSON(saved, client())).toThrow(/waits for its webhook/);
    const resumed = FlowHandle.fromJSON(saved, client(), { flow: chain(research(new WebhookInbox())) });
    const result = await resumed.result();
    expect(result.status).toBe('completed');
    expect(result.steps.research?.text).toBe('A long report about the history of tea.');
  });

  it('is refused for a foreground step', () => {
    expect(() =>
      modelStep({ model: 'm', webhook: { uri: 'https://x.example/h', inbox: new WebhookInbox() } }),
    ).toThrow(/webhook needs background: true/);
  });
});

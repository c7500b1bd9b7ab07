/**
 * Spans when the OpenTelemetry SDK is registered after the server has already answered without one: the
 * server skips its spans while none is registered (telemetry/spans.ts, `mayTrace`), and asks again for every
 * interaction, so the requests after the registration are traced and continue their caller's `traceparent`.
 */
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { named, parentOf, TestTracing } from '../../core/test/helpers/spans.ts';
import { call, closeAll, events, startServer } from './helpers/server.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';
const traceparent = `00-${TRACE_ID}-${PARENT_ID}-01`;

let tracing: TestTracing | undefined;
afterAll(async () => {
  await closeAll();
  await tracing?.close();
});

const interactionSpan = (spans: ReadableSpan[], id: string) =>
  spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['gen_ai.response.id'] === id);

describe('an SDK registered while the server runs', () => {
  it('traces the interactions created after it: new traces, and continued traceparents', async () => {
    const { url } = await startServer({
      script: { rules: [{ respond: [{ type: 'text', text: 'Hello there.' }] }] },
    });
    const body = { model: 'm-1', input: 'Hi', stream: true, store: false };
    // No SDK yet: the stream is answered as usual.
    const before = await call(`${url}/v1beta/interactions`, { headers: { traceparent }, body });
    expect(before.status).toBe(200);
    expect(events(before.text).at(-1)?.event_type).toBe('interaction.completed');

    tracing = new TestTracing();
    // Without a traceparent the request carries no trace: its interaction starts one.
    const own = await call(`${url}/v1beta/interactions`, { body });
    const ownId = events(own.text)[0].interaction.id as string;
    const started = await tracing.until((all) => interactionSpan(all, ownId) !== undefined);
    expect(interactionSpan(started, ownId)?.parentSpanContext).toBeUndefined();
    expect(named(started, 'chat m-1')).toHaveLength(1);

    const after = await call(`${url}/v1beta/interactions`, { headers: { traceparent }, body });
    const id = events(after.text)[0].interaction.id as string;
    const spans = await tracing.until((all) => interactionSpan(all, id) !== undefined);
    const interaction = interactionSpan(spans, id) as ReadableSpan;
    expect(interaction.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(interaction)).toBe(PARENT_ID);
    const chat = named(spans, 'chat m-1').find((s) => s.attributes['gen_ai.response.id'] === id);
    expect(parentOf(chat)).toBe(interaction.spanContext().spanId);
  });
});

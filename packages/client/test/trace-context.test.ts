/**
 * The client sends the caller's OpenTelemetry context as W3C `traceparent`, over real loopback HTTP: nothing
 * before an SDK is registered; the active span's trace and id once one is (unary calls and streams); a
 * `traceparent` the caller sets in `headers` wins.
 */
import { context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestTracing } from '../../core/test/helpers/spans.ts';
import { modelFor, startTarget, type TestTarget } from './support/target.ts';
import { collect } from './support/util.ts';

let t: TestTarget;
beforeAll(async () => {
  t = await startTarget();
});
afterAll(() => t.close());
const last = () => t.proxy.requests.at(-1)?.headers ?? {};

it('sends traceparent only when an SDK is registered, as the active span', async () => {
  const client = t.client();
  const body = { model: modelFor(t), input: 'Hello' };
  await client.create(body);
  expect(last().traceparent).toBeUndefined();

  const tracing = new TestTracing();
  try {
    const span = trace.getTracer('test').startSpan('caller');
    const { traceId, spanId } = span.spanContext();
    await context.with(trace.setSpan(context.active(), span), async () => {
      await client.create(body);
      expect(last().traceparent).toBe(`00-${traceId}-${spanId}-01`);
      await collect(await client.stream(body));
      expect(last().traceparent).toBe(`00-${traceId}-${spanId}-01`);
      const own = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      await client.create(body, { headers: { traceparent: own } });
      expect(last().traceparent).toBe(own);
    });
    span.end();
  } finally {
    await tracing.close();
  }
});

/**
 * An OpenTelemetry SDK for tests: spans recorded in memory (`InMemorySpanExporter`), AsyncLocalStorage as the
 * context manager and the W3C propagator — what a Node application's SDK registers. `until` waits for the
 * spans a test expects (a server's span may end just after its response is read).
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export class TestTracing {
  readonly #exporter = new InMemorySpanExporter();
  readonly #waiters = new Set<() => void>();
  readonly #provider: BasicTracerProvider;

  constructor() {
    const notify: SpanProcessor = {
      onStart: () => {},
      onEnd: () => {
        for (const waiter of this.#waiters) waiter();
      },
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    this.#provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(this.#exporter), notify],
    });
    trace.setGlobalTracerProvider(this.#provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  }

  get spans(): ReadableSpan[] {
    return this.#exporter.getFinishedSpans();
  }

  /** The finished spans once `done` holds for them. */
  until(done: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
    return new Promise((resolve) => {
      const check = () => {
        if (!done(this.spans)) return;
        this.#waiters.delete(check);
        resolve(this.spans);
      };
      this.#waiters.add(check);
      check();
    });
  }

  reset(): void {
    this.#exporter.reset();
  }

  async close(): Promise<void> {
    await this.#provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  }
}

export const named = (spans: ReadableSpan[], name: string): ReadableSpan[] =>
  spans.filter((s) => s.name === name);

export const parentOf = (span: ReadableSpan | undefined): string | undefined =>
  span?.parentSpanContext?.spanId;

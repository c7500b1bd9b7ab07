/** The types of a `Runner`: the structured output, the run's events and results. */
import type { CanonicalInteraction } from '@interplay/protocol';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod-v3';
import {
  Agent,
  type AgentAsTool,
  type AnyAgent,
  type BackendStream,
  type InteractionsBackend,
  jsonSchema,
  type RunEvent,
  type RunHandle,
  Runner,
  type RunResult,
  run,
  type ToolCallEvent,
} from '../src/index.ts';

declare const backend: InteractionsBackend;
const model = 'gemini-3-flash-preview';

describe('Runner types', () => {
  it('infers the output type from zod v4, zod v3 and jsonSchema<T>() (undefined without responseFormat)', () => {
    expectTypeOf(new Runner({ backend, model }).run('hi'))
      .resolves.toHaveProperty('output')
      .toEqualTypeOf<undefined>();
    const v4 = new Runner({
      backend,
      model,
      responseFormat: z.object({ city: z.string(), tempC: z.number() }),
    });
    expectTypeOf(v4.run('hi'))
      .resolves.toHaveProperty('output')
      .toEqualTypeOf<{ city: string; tempC: number } | undefined>();
    const v3 = new Runner({ backend, model, responseFormat: z3.object({ n: z3.number() }) });
    expectTypeOf(v3.run('hi')).resolves.toHaveProperty('output').toEqualTypeOf<{ n: number } | undefined>();
    const raw = new Runner({
      backend,
      model,
      responseFormat: jsonSchema<{ ok: boolean }>({ type: 'object' }),
    });
    expectTypeOf(raw.run('hi'))
      .resolves.toHaveProperty('output')
      .toEqualTypeOf<{ ok: boolean } | undefined>();
  });

  it('hands out a run as a generator of events returning the result, or as a handle with its own emitter', () => {
    const runner = new Runner({ backend, model, responseFormat: z.object({ n: z.number() }) });
    expectTypeOf(runner.iterate('hi')).toEqualTypeOf<
      AsyncGenerator<RunEvent, RunResult<{ n: number }>, undefined>
    >();
    const run = runner.start('hi');
    expectTypeOf(run).toEqualTypeOf<RunHandle<{ n: number }>>();
    run.on('tool_call', (event) => expectTypeOf(event).toEqualTypeOf<ToolCallEvent>());
    expectTypeOf(run.events()).toEqualTypeOf<AsyncIterable<RunEvent>>();
    // @ts-expect-error: a Runner is no event emitter; each run is.
    runner.on('tool_call', () => {});
  });

  it('a backend is five calls on canonical requests and interactions', () => {
    expectTypeOf(backend.create).returns.resolves.toEqualTypeOf<CanonicalInteraction>();
    expectTypeOf(backend.stream).returns.resolves.toEqualTypeOf<BackendStream>();
    expectTypeOf(backend.follow).returns.resolves.toEqualTypeOf<CanonicalInteraction>();
  });
});

describe('Agent run types', () => {
  it('types the output by the agent’s outputType, and names the last agent', () => {
    const forecaster = new Agent({ name: 'forecaster', outputType: z.object({ tempC: z.number() }) });
    expectTypeOf(run(forecaster, 'hi'))
      .resolves.toHaveProperty('output')
      .toEqualTypeOf<{ tempC: number } | undefined>();
    expectTypeOf(new Runner({ backend }).run(forecaster, 'hi'))
      .resolves.toHaveProperty('lastAgent')
      .toEqualTypeOf<AnyAgent>();
    expectTypeOf(new Agent({ name: 'plain' }).asTool()).toEqualTypeOf<AgentAsTool>();
  });
});

/**
 * The run loop against the REAL Interactions server over HTTP (127.0.0.1, in-memory store, scripted model),
 * in both wire revisions.
 */

import type { InteractionsClient } from '@interplay/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RunAbortedError, type RunEvent, Runner, RunState, type StepResult, tool } from '../src/index.ts';
import { sleep } from './helpers/sleep.ts';
import { checkDatabase, deleteFile, scheduleMeeting, toolThatWaits } from './helpers/tools.ts';
import { clientFor, recordingBackend, startServer, type TestServer } from './http/server.ts';

const model = 'gemini-3-flash-preview';

const getWeather = tool({
  name: 'get_weather',
  description: 'Gets the weather for a given location.',
  parameters: z.object({ location: z.string().describe('The city and state, e.g. San Francisco, CA') }),
  execute: async ({ location }) => {
    await sleep(30);
    return `The weather in ${location} is sunny.`;
  },
});
const getForecast = tool({
  name: 'get_forecast',
  description: 'Gets a 3-day forecast.',
  parameters: z.object({ location: z.string() }),
  execute: ({ location }) => `Sun all week in ${location}.`,
});

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

describe.each(['steps', 'legacy'] as const)('over HTTP, %s revision', (revision) => {
  const client = () => clientFor(srv.url, revision);

  it('the seed weather flow (server state: previous_interaction_id + function_result only)', async () => {
    const backend = recordingBackend(client());
    const runner = new Runner({ backend, model, tools: [getWeather] });
    const result = await runner.run('What is the weather in Paris?');
    expect(result.finishReason).toBe('completed');
    expect(result.text).toBe('Here is what I found: The weather in Paris is sunny.');
    expect(result.steps.map((s) => s.status)).toEqual(['requires_action', 'completed']);
    expect(result.steps[0]?.output.map((i) => i.type)).toEqual(['thought', 'function_call']);
    expect(backend.requests[1]).toMatchObject({
      previous_interaction_id: result.steps[0]?.interactionId,
      input: [{ type: 'function_result', name: 'get_weather', result: 'The weather in Paris is sunny.' }],
    });
    expect(result.usage.total_tokens).toBeGreaterThan(0);
    expect(result.usage.total_tokens).toBe(result.steps.reduce((n, s) => n + (s.usage.total_tokens ?? 0), 0));
    // The chain is on the server: the last interaction knows its predecessor.
    const stored = await client().get(result.lastInteractionId as string);
    expect(stored.interaction.status).toBe('completed');
  });

  it('the schedule_meeting flow with client state (store:false, history with thought signatures replayed)', async () => {
    const backend = recordingBackend(client());
    const runner = new Runner({ backend, model, tools: [scheduleMeeting], mode: 'stateless' });
    const result = await runner.run(
      'Schedule a meeting for 2025-11-01 at 10 am with Peter and Amir about the Next Gen API.',
    );
    expect(result.text).toBe('Here is what I found: Meeting scheduled successfully.');
    const second = backend.requests[1];
    expect(second?.store).toBe(false);
    expect(second?.previous_interaction_id).toBeUndefined();
    expect(second?.input.map((i) => i.type)).toEqual([
      'user_input',
      'thought',
      'function_call',
      'function_result',
    ]);
    expect(second?.input[1]).toMatchObject({ type: 'thought', signature: 'sig-meeting' });
    // store:false → nothing persisted server-side.
    await expect(client().get(result.steps[0]?.interactionId as string)).rejects.toMatchObject({
      status: 404,
    });
  });

  it('three tools in parallel; all three results reach the server', async () => {
    let active = 0;
    let peak = 0;
    const tracked = tool({
      name: 'get_weather',
      description: 'Gets the weather.',
      parameters: z.object({ location: z.string() }),
      execute: async ({ location }) => {
        peak = Math.max(peak, ++active);
        await sleep(40);
        active--;
        return `${location}: sunny`;
      },
    });
    const c = client();
    const result = await new Runner({ client: c, model, tools: [tracked] }).run(
      'Weather for three cities please',
    );
    expect(peak).toBe(3);
    expect(result.steps[0]?.toolResults.map((r) => r.result)).toEqual([
      'Paris: sunny',
      'Tokyo: sunny',
      'Lima: sunny',
    ]);
    const last = await c.get(result.lastInteractionId as string, { includeInput: true });
    const sent = (last.interaction.input ?? []).filter((i) => i.type === 'function_result');
    expect(sent.map((i) => (i as { result: unknown }).result)).toEqual([
      'Paris: sunny',
      'Tokyo: sunny',
      'Lima: sunny',
    ]);
  });

  it('a throwing tool: the error goes back as is_error and the run continues', async () => {
    const c = client();
    const result = await new Runner({ client: c, model, tools: [checkDatabase] }).run(
      'Please check the database',
    );
    expect(result.finishReason).toBe('completed');
    expect(result.text).toBe('Here is what I found: Error in tool check_database: connection refused');
    const last = await c.get(result.lastInteractionId as string, { includeInput: true });
    expect(last.interaction.input).toEqual([
      expect.objectContaining({ type: 'function_result', is_error: true, name: 'check_database' }),
    ]);
  });

  it('invalid arguments are sent back with field paths and corrected on the next step', async () => {
    const runner = new Runner({
      client: client(),
      model,
      tools: [getWeather, getForecast],
      // The scripted model decides by the tools on offer (see http/script.ts).
      prepareStep: ({ steps }) =>
        steps.at(-1)?.toolResults.some((r) => r.errorKind === 'invalid_arguments')
          ? { activeTools: ['get_weather'] }
          : undefined,
    });
    const result = await runner.run('Sloppy weather request');
    expect(result.steps.map((s: StepResult) => s.toolCalls.map((c) => c.arguments))).toEqual([
      [{ location: 42 }],
      [{ location: 'Paris' }],
      [],
    ]);
    expect(result.steps[0]?.toolResults[0]).toMatchObject({
      isError: true,
      errorKind: 'invalid_arguments',
      result:
        'Invalid arguments for get_weather: location: expected string, received number. Fix and call again.',
    });
    expect(result.text).toBe('Fixed: The weather in Paris is sunny.');
  });

  it('max steps reached: finishReason max_steps, no throw', async () => {
    const result = await new Runner({ client: client(), model, tools: [getWeather], maxSteps: 3 }).run(
      'keep going',
    );
    expect(result.finishReason).toBe('max_steps');
    expect(result.steps).toHaveLength(3);
    expect(result.state.pendingInput).toHaveLength(1);
  });

  it('approval → serialize → resume in a fresh runner with a fresh client', async () => {
    const first = new Runner({ client: client(), model, tools: [deleteFile] });
    const paused = await first.run('delete /tmp/old.log');
    expect(paused.finishReason).toBe('interrupted');
    expect(paused.interruptions).toEqual([
      expect.objectContaining({ toolName: 'delete_file', arguments: { path: '/tmp/old.log' } }),
    ]);
    const saved = JSON.stringify(paused.state);

    const state = RunState.fromJSON(saved);
    for (const p of state.interruptions) state.approve(p.callId);
    const second = new Runner({ client: clientFor(srv.url, revision), model, tools: [deleteFile] });
    const done = await second.run(state);
    expect(done.finishReason).toBe('completed');
    expect(done.text).toBe('Here is what I found: deleted /tmp/old.log');
    expect(done.steps).toHaveLength(2);
  });

  it('streamed events arrive in order, with server event ids usable as resume cursors', async () => {
    const c = client();
    const runner = new Runner({ client: c, model, tools: [getWeather], stream: true });
    const run = runner.start('What is the weather in Paris?');
    const events: RunEvent[] = [];
    for await (const e of run.events()) events.push(e);
    const result = await run.result;

    const kinds = events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
    expect(kinds).toEqual([
      'run_start',
      'step_start',
      'status_change',
      'thought_delta',
      'status_change',
      'tool_call',
      'tool_result',
      'step_finish',
      'step_start',
      'status_change',
      'text_delta',
      'status_change',
      'step_finish',
      'run_finish',
    ]);
    const deltas = events.filter((e) => e.type === 'text_delta');
    expect(deltas.map((d) => d.delta).join('')).toBe(result.text);
    expect(result.text).toBe('Here is what I found: The weather in Paris is sunny.');
    const toolCall = events.find((e) => e.type === 'tool_call');
    expect(toolCall?.cursor?.interactionId).toBe(result.steps[0]?.interactionId);

    // Resume the second interaction's stream right after its first text delta.
    const cursor = deltas[0]?.cursor;
    expect(cursor?.eventId).toEqual(expect.any(String));
    const resumed = await (c as InteractionsClient<'steps'>).getStream(cursor?.interactionId as string, {
      lastEventId: cursor?.eventId as string,
    });
    let rest = '';
    for await (const { events: canonical } of resumed) {
      for (const e of canonical)
        if (e.event_type === 'step.delta' && e.delta.type === 'text') rest += e.delta.text;
    }
    expect(deltas[0]?.delta + rest).toBe(result.text);
  });

  it('structured output over HTTP: the schema is sent and the JSON answer parsed and typed', async () => {
    const Report = z.object({ city: z.string(), tempC: z.number(), unit: z.enum(['C', 'F']) });
    const result = await new Runner({ client: client(), model, responseFormat: Report }).run(
      'Give me a report',
    );
    expect(result.output).toEqual({ city: 'example', tempC: 0, unit: 'C' });
  });

  it('abort in the middle of a tool: the tool sees its signal, the run rejects, and the state resumes', async () => {
    const slow = toolThatWaits('slow_job', { description: 'A long job.', ms: 30_000, answer: 'finished' });
    const controller = new AbortController();
    const run = new Runner({ client: client(), model, tools: [slow.tool] }).start('Run the slow job', {
      signal: controller.signal,
    });
    await slow.entered;
    controller.abort('stop');
    const error = await run.result.catch((e) => e);
    expect(error).toBeInstanceOf(RunAbortedError);
    expect(slow.signal()?.aborted).toBe(true);

    const quick = tool({
      name: 'slow_job',
      description: 'A long job.',
      parameters: z.object({}),
      execute: () => 'finished',
    });
    const resumed = await new Runner({ client: client(), model, tools: [quick] }).run(
      RunState.fromJSON(JSON.stringify(error.state)),
    );
    expect(resumed.text).toBe('Here is what I found: finished');
  });
});

/** The run loop against an in-memory backend: modes, stop conditions, per-step overrides, output, usage. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  hasToolCall,
  InteractionFailedError,
  MaxStepsExceededError,
  Runner,
  StructuredOutputError,
  stepCountIs,
  tool,
} from '../src/index.ts';
import { call, FakeBackend, text, thought } from './helpers/fake-backend.ts';
import { getWeather, scheduleMeeting } from './helpers/tools.ts';

const model = 'gemini-3-flash-preview';

describe('run loop: the seed flows', () => {
  it('stateful (default): continues by previous_interaction_id and sends only the new function_result', async () => {
    const backend = new FakeBackend([
      [call('get_weather', { location: 'Paris' }, 'c1')],
      [text('It is sunny in Paris.')],
    ]);
    const runner = new Runner({ backend, model, tools: [getWeather] });
    const result = await runner.run('What is the weather in Paris?');

    expect(result.finishReason).toBe('completed');
    expect(result.text).toBe('It is sunny in Paris.');
    expect(result.steps.map((s) => s.step)).toEqual([1, 2]);
    expect(result.steps[0]?.toolResults).toEqual([
      expect.objectContaining({
        callId: 'c1',
        name: 'get_weather',
        result: 'The weather in Paris is sunny.',
        isError: false,
      }),
    ]);
    const [first, second] = backend.requests;
    expect(first).toMatchObject({
      model,
      input: [{ type: 'user_input', content: [{ type: 'text', text: 'What is the weather in Paris?' }] }],
      tools: [getWeather.declaration],
    });
    expect(first?.previous_interaction_id).toBeUndefined();
    expect(first?.store).toBeUndefined();
    expect(second).toEqual({
      model,
      previous_interaction_id: 'int_1',
      tools: [getWeather.declaration],
      input: [
        {
          type: 'function_result',
          call_id: 'c1',
          name: 'get_weather',
          result: 'The weather in Paris is sunny.',
        },
      ],
    });
    expect(result.lastInteractionId).toBe('int_2');
    expect(result.usage).toEqual({ total_input_tokens: 20, total_output_tokens: 10, total_tokens: 30 });
  });

  it('sums usage over the steps with the protocol’s addUsage, merging the per-modality counts', async () => {
    const usage = (text: number, image: number) => ({
      total_input_tokens: text + image,
      total_tokens: text + image,
      input_tokens_by_modality: [
        { modality: 'text', tokens: text },
        ...(image ? [{ modality: 'image', tokens: image }] : []),
      ],
    });
    const backend = new FakeBackend([
      { output: [call('get_weather', { location: 'Paris' }, 'c1')], usage: usage(10, 258) },
      { output: [text('Sunny.')], usage: usage(20, 0) },
    ]);
    const result = await new Runner({ backend, model, tools: [getWeather] }).run('Weather in this photo?');
    expect(result.usage).toEqual({
      total_input_tokens: 288,
      total_tokens: 288,
      input_tokens_by_modality: [
        { modality: 'text', tokens: 30 },
        { modality: 'image', tokens: 258 },
      ],
    });
    expect(result.steps[0]?.usage).toEqual(usage(10, 258));
  });

  it('the answer text is the text of the step’s last model_output, not what came before a tool call', async () => {
    const backend = new FakeBackend([
      [
        text('Let me search for that. '),
        { type: 'google_search_call', id: 's1', arguments: { queries: ['paris weather'] } },
        { type: 'google_search_result', call_id: 's1', result: [] },
        text('It is sunny in Paris.'),
      ],
    ]);
    const result = await new Runner({ backend, model }).run('Weather in Paris?');
    expect(result.text).toBe('It is sunny in Paris.');
    expect(result.steps[0]?.text).toBe('It is sunny in Paris.');
  });

  it('stateless: store:false and the full history, thought signatures included, replayed each call', async () => {
    const args = { attendees: ['Peter', 'Amir'], date: '2025-11-01', time: '10:00', topic: 'Next Gen API' };
    const backend = new FakeBackend([
      [thought('sig-abc', 'Planning the meeting'), call('schedule_meeting', args, 'm1')],
      [text('Your meeting is scheduled.')],
    ]);
    const runner = new Runner({ backend, model, tools: [scheduleMeeting], mode: 'stateless' });
    const result = await runner.run(
      'Schedule a meeting for 2025-11-01 at 10 am with Peter and Amir about the Next Gen API.',
    );

    expect(result.text).toBe('Your meeting is scheduled.');
    const second = backend.requests[1];
    expect(second?.store).toBe(false);
    expect(second?.previous_interaction_id).toBeUndefined();
    expect(second?.input).toEqual([
      {
        type: 'user_input',
        content: [{ type: 'text', text: expect.stringContaining('Schedule a meeting') }],
      },
      { type: 'thought', signature: 'sig-abc', summary: [{ type: 'text', text: 'Planning the meeting' }] },
      { type: 'function_call', id: 'm1', name: 'schedule_meeting', arguments: args },
      {
        type: 'function_result',
        call_id: 'm1',
        name: 'schedule_meeting',
        result: 'Meeting scheduled successfully.',
      },
    ]);
    expect(result.state.toJSON().history).toHaveLength(5);
  });

  it('re-sends tools, instructions and generation config with every call (they are not inherited)', async () => {
    const backend = new FakeBackend([[call('get_weather', { location: 'Rome' })], [text('ok')]]);
    const runner = new Runner({
      backend,
      model,
      tools: [getWeather, { type: 'google_search' }],
      instructions: 'Be brief.',
      generationConfig: { temperature: 0.2 },
      toolChoice: 'auto',
    });
    await runner.run('Weather in Rome?');
    for (const request of backend.requests) {
      expect(request).toMatchObject({
        system_instruction: 'Be brief.',
        generation_config: { temperature: 0.2, tool_choice: 'auto' },
        tools: [getWeather.declaration, { type: 'google_search' }],
      });
    }
  });

  it('continues a finished run with a follow-up question on the same chain', async () => {
    const backend = new FakeBackend([[text('Hi!')], [text('Paris.')]]);
    const runner = new Runner({ backend, model });
    const first = await runner.run('Hello');
    const second = await runner.run(first.state, { input: 'Capital of France?' });
    expect(second.text).toBe('Paris.');
    expect(backend.requests[1]).toMatchObject({
      previous_interaction_id: 'int_1',
      input: [{ type: 'user_input', content: [{ type: 'text', text: 'Capital of France?' }] }],
    });
  });
});

describe('run loop: limits and stop conditions', () => {
  const looping = () =>
    new FakeBackend(
      Array.from({ length: 10 }, (_, i) => [call('get_weather', { location: `City ${i}` }, `c${i}`)]),
    );

  it('returns finishReason max_steps (no throw) with a resumable state', async () => {
    const backend = looping();
    const runner = new Runner({ backend, model, tools: [getWeather], maxSteps: 3 });
    const result = await runner.run('loop');
    expect(result.finishReason).toBe('max_steps');
    expect(backend.calls).toBe(3);
    expect(result.state.stepCount).toBe(3);
    expect(result.state.pendingInput).toEqual([
      expect.objectContaining({ type: 'function_result', call_id: 'c2' }),
    ]);
    const more = await runner.run(result.state, { maxSteps: 4 });
    expect(more.finishReason).toBe('max_steps');
    expect(backend.requests[3]?.input).toEqual([expect.objectContaining({ call_id: 'c2' })]);
  });

  it('throws MaxStepsExceededError only when asked to', async () => {
    const runner = new Runner({
      backend: looping(),
      model,
      tools: [getWeather],
      maxSteps: 2,
      throwOnMaxSteps: true,
    });
    await expect(runner.run('loop')).rejects.toBeInstanceOf(MaxStepsExceededError);
  });

  it('stops on a stopWhen predicate after the step’s tools ran', async () => {
    const backend = looping();
    const runner = new Runner({ backend, model, tools: [getWeather], stopWhen: stepCountIs(2) });
    const result = await runner.run('loop');
    expect(result.finishReason).toBe('stop_condition');
    expect(result.steps).toHaveLength(2);
    expect(result.steps[1]?.toolResults).toHaveLength(1);
  });

  it('stops at a named tool (stopAtTools) and with hasToolCall', async () => {
    const finalAnswer = tool({
      name: 'final_answer',
      description: 'Give the answer',
      parameters: z.object({ answer: z.string() }),
      execute: ({ answer }) => answer,
    });
    const backend = new FakeBackend([
      [call('get_weather', { location: 'Oslo' })],
      [call('final_answer', { answer: 'cold' }, 'f1')],
    ]);
    const result = await new Runner({
      backend,
      model,
      tools: [getWeather, finalAnswer],
      stopAtTools: ['final_answer'],
    }).run('go');
    expect(result.finishReason).toBe('stop_tool');
    expect(result.steps.at(-1)?.toolResults[0]?.result).toBe('cold');

    const t2 = new FakeBackend([[call('get_weather', { location: 'Oslo' })], [text('unused')]]);
    const r2 = await new Runner({
      backend: t2,
      model,
      tools: [getWeather],
      stopWhen: hasToolCall('get_weather'),
    }).run('go');
    expect(r2.finishReason).toBe('stop_condition');
    expect(t2.calls).toBe(1);
  });

  it('applies prepareStep overrides per step (active tools, tool choice, model, instructions)', async () => {
    const backend = new FakeBackend([[call('get_weather', { location: 'Lima' })], [text('done')]]);
    const seen: number[] = [];
    const runner = new Runner({
      backend,
      model,
      tools: [getWeather, scheduleMeeting],
      prepareStep: ({ step, steps }) => {
        seen.push(steps.length);
        return step === 1
          ? { activeTools: ['get_weather'], toolChoice: 'any' }
          : { tools: [], model: 'gemini-3-pro-preview', instructions: 'Summarize.' };
      },
    });
    await runner.run('go');
    expect(seen).toEqual([0, 1]);
    expect(backend.requests[0]?.tools).toEqual([getWeather.declaration]);
    expect(backend.requests[0]?.generation_config).toEqual({ tool_choice: 'any' });
    expect(backend.requests[1]?.tools).toBeUndefined();
    expect(backend.requests[1]).toMatchObject({
      model: 'gemini-3-pro-preview',
      system_instruction: 'Summarize.',
    });
  });

  it('ends with incomplete / throws InteractionFailedError for failed interactions', async () => {
    const incomplete = new FakeBackend([{ output: [text('partial')], status: 'incomplete' }]);
    expect((await new Runner({ backend: incomplete, model }).run('x')).finishReason).toBe('incomplete');
    const failed = new FakeBackend([
      { output: [], status: 'failed', errors: [{ code: 'api_error', message: 'boom' }] },
    ]);
    const error = await new Runner({ backend: failed, model }).run('x').catch((e) => e);
    expect(error).toBeInstanceOf(InteractionFailedError);
    expect(error.message).toBe('Interaction int_1 failed: boom');
  });

  it('ends with idle / requires_continuation when the interaction settles waiting for its caller', async () => {
    for (const status of ['idle', 'requires_continuation'] as const) {
      const backend = new FakeBackend([{ output: [text('so far')], status }]);
      const result = await new Runner({ backend, model }).run('x');
      expect(result.finishReason).toBe(status);
      expect(result.text).toBe('so far');
      expect(backend.requests).toHaveLength(1);
    }
  });
});

describe('run loop: structured output', () => {
  const Weather = z.object({ city: z.string(), tempC: z.number() });

  it('sends the schema as response format and returns a parsed, typed output', async () => {
    const backend = new FakeBackend([[text('{"city":"Paris","tempC":21}')]]);
    const runner = new Runner({ backend, model, responseFormat: Weather });
    const result = await runner.run('Weather as JSON');
    expect(result.output).toEqual({ city: 'Paris', tempC: 21 });
    expect(backend.requests[0]?.output_format).toEqual({
      mime_type: 'application/json',
      schema: {
        type: 'object',
        properties: { city: { type: 'string' }, tempC: { type: 'number' } },
        required: ['city', 'tempC'],
      },
    });
  });

  it('tolerates a ```json fence', async () => {
    const backend = new FakeBackend([[text('```json\n{"city":"Oslo","tempC":-3}\n```')]]);
    expect((await new Runner({ backend, model, responseFormat: Weather }).run('x')).output).toEqual({
      city: 'Oslo',
      tempC: -3,
    });
  });

  it('throws StructuredOutputError with the raw text and the issues', async () => {
    const backend = new FakeBackend([[text('{"city":"Oslo"}')]]);
    const error = await new Runner({ backend, model, responseFormat: Weather }).run('x').catch((e) => e);
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect(error.code).toBe('structured_output_invalid');
    expect(error.text).toBe('{"city":"Oslo"}');
    expect(error.issues).toEqual([
      { path: ['tempC'], message: 'required (expected number)', code: 'invalid_type' },
    ]);
    const notJson = new FakeBackend([[text('It is warm.')]]);
    await expect(new Runner({ backend: notJson, model, responseFormat: Weather }).run('x')).rejects.toThrow(
      /not valid JSON/,
    );
  });
});

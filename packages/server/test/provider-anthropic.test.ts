/**
 * The `anthropic` provider beyond the conformance kit: thinking kept on the thought step with its signature and
 * replayed before its `tool_use` byte for byte, `redacted_thinking` kept opaque, another provider's signatures
 * dropped, `overloaded_error` retried (HTTP 529 and in-stream), refusal, usage with cache tokens, the request it
 * sends (images, PDFs, structured output, thinking budgets). Our server over loopback HTTP in front of a fake
 * upstream replaying transcripts from Claude's documentation (conformance/providers/anthropic/fixtures).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture } from './conformance/providers/replay-upstream.ts';
import { historySignedElsewhere, replayProvider, weatherTool as weather } from './helpers/replay-provider.ts';
import { events } from './helpers/server.ts';

const FIXTURES = path.join(import.meta.dirname, 'conformance/providers/anthropic/fixtures');
const KEY = 'sk-ant-api03-provider-test-abc123wxyz';
const MODEL = 'claude-sonnet-4-5';

type Block = Record<string, unknown> & { type: string };
type Messages = { role: string; content: Block[] }[];

/** A string field's value in a fixture's events, in order. */
function valuesIn(name: string, field: string): string[] {
  const text = JSON.stringify(loadFixture(FIXTURES, name));
  return [...text.matchAll(new RegExp(`"${field}":"([^"]+)"`, 'g'))].map((m) => JSON.parse(`"${m[1]}"`));
}

const { ctx, use, create, lastBody } = replayProvider<{ messages: Messages }>({
  provider: 'anthropic',
  fixtureDir: FIXTURES,
  apiKey: KEY,
  model: MODEL,
});

describe('anthropic: thinking and signatures', () => {
  it('stateless (store:false): thinking replayed with its exact text and signature, before its tool_use', async () => {
    const [signature] = valuesIn('thinking-tool-use', 'signature');
    use('thinking-tool-use');
    const input = [{ type: 'user_input', content: [{ type: 'text', text: 'Weather in Paris?' }] }];
    const first = await create({
      input,
      tools: [weather],
      store: false,
      generation_config: { thinking_level: 'medium' },
    });
    expect(first.json.status).toBe('requires_action');
    expect(first.json.steps.map((s: { type: string }) => s.type)).toEqual(['thought', 'function_call']);
    const [thought, fc] = first.json.steps;
    expect(thought.signature).toBe(`anthropic:${signature}`);
    expect(first.json.usage).toMatchObject({
      total_input_tokens: 2050,
      total_cached_tokens: 2000,
      total_output_tokens: 70,
    });

    const second = await create({
      input: [
        ...input,
        ...first.json.steps,
        { type: 'function_result', call_id: fc.id, name: 'get_weather', result: 'Sunny, 21 °C' },
      ],
      tools: [weather],
      store: false,
      generation_config: { thinking_level: 'medium' },
    });
    expect(second.json.status).toBe('completed');
    // The loop opened with Claude's own thinking, so thinking stays on for its continuation.
    expect(lastBody().thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
    expect(lastBody().messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I need the weather in Paris: call get_weather.', signature },
          {
            type: 'tool_use',
            id: 'toolu_01ThinkingCall',
            name: 'get_weather',
            input: { location: 'Paris, France' },
          },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_01ThinkingCall', content: 'Sunny, 21 °C' }],
      },
    ]);
  });

  it('redacted_thinking is kept opaque on a thought step and sent back as it came', async () => {
    const [data] = valuesIn('redacted-thinking', 'data');
    use('redacted-thinking');
    const first = await create({ input: 'Hello', generation_config: { thinking_level: 'low' } });
    const [redacted, thinking, answer] = first.json.steps;
    expect(redacted).toEqual({ type: 'thought', signature: `anthropic/redacted:${data}` });
    expect(thinking.summary).toEqual([{ type: 'text', text: 'The user asked a plain question.' }]);
    expect(answer.type).toBe('model_output');
    use('text');
    await create({ input: 'And then?', previous_interaction_id: first.json.id });
    expect(lastBody().messages[1]!.content.slice(0, 2)).toEqual([
      { type: 'redacted_thinking', data },
      {
        type: 'thinking',
        thinking: 'The user asked a plain question.',
        signature: valuesIn('redacted-thinking', 'signature')[0],
      },
    ]);
  });

  it("Gemini's signatures are dropped, not sent", async () => {
    use('text');
    await create({
      input: historySignedElsewhere({
        signature: 'gemini:CsEBAXLI2nw',
        thoughtSignature: 'gemini/next:CsEBAXLI2nw',
        callId: 'gemini_call_abc',
        thought: 'Gemini thinks',
      }),
      tools: [weather],
      store: false,
    });
    const sent = JSON.stringify(lastBody());
    expect(sent).not.toContain('CsEBAXLI2nw');
    expect(sent).not.toContain('Gemini thinks');
    expect(lastBody().messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'tool_use', id: 'gemini_call_abc', name: 'get_weather', input: { location: 'Paris' } },
      ],
    });
  });
});

describe('anthropic: failures', () => {
  it('529 overloaded_error is retried, then the answer comes', async () => {
    use('overloaded-then-ok');
    const before = ctx.upstream.requests.length;
    const reply = await create({ input: 'Hello' });
    expect(reply.json.status).toBe('completed');
    expect(ctx.upstream.requests.length - before).toBe(2);
  });

  it('an overloaded_error event before any output (after a 200) is retried too', async () => {
    use('overloaded-event-then-ok');
    const before = ctx.upstream.requests.length;
    const reply = await create({ input: 'Hello', stream: true });
    const evs = events(reply.text);
    expect(evs.at(-1).interaction.status).toBe('completed');
    expect(ctx.upstream.requests.length - before).toBe(2);
  });

  it('stop_reason refusal fails the turn with code safety', async () => {
    use('refusal');
    const reply = await create({ input: 'Something harmful', stream: true });
    const evs = events(reply.text);
    expect(evs.find((e) => e.event_type === 'error').error.code).toBe('safety');
    expect(evs.at(-1).interaction.status).toBe('failed');
  });

  it('audio input: 400 naming the type and the provider', async () => {
    const reply = await create({
      input: [{ type: 'user_input', content: [{ type: 'audio', data: 'UklGRg==', mime_type: 'audio/wav' }] }],
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toContain("'audio' content cannot be sent to the 'anthropic' provider");
  });
});

describe('anthropic: the request', () => {
  it('headers, max_tokens, system, images and PDF documents', async () => {
    use('text');
    await create({
      system_instruction: 'Be brief.',
      input: [
        {
          type: 'user_input',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image', data: 'iVBORw0KGgo=', mime_type: 'image/png' },
            { type: 'document', data: 'JVBERi0xLjQ=', mime_type: 'application/pdf' },
          ],
        },
      ],
      generation_config: { temperature: 0.2, stop_sequences: ['END'] },
    });
    const request = ctx.upstream.requests.at(-1)!;
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe(KEY);
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.body).toEqual({
      model: MODEL,
      max_tokens: 8192,
      system: 'Be brief.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQ=' },
            },
          ],
        },
      ],
      stream: true,
      temperature: 0.2,
      stop_sequences: ['END'],
    });
  });

  it('thinking_level → a thinking budget below max_tokens; no temperature with thinking', async () => {
    use('thinking');
    const reply = await create({
      input: 'What is 27 * 453?',
      generation_config: { thinking_level: 'high', temperature: 0.7 },
    });
    expect(reply.json.steps.map((s: { type: string }) => s.type)).toEqual(['thought', 'model_output']);
    expect(lastBody()).toMatchObject({
      max_tokens: 8192 + 16384,
      thinking: { type: 'enabled', budget_tokens: 16384 },
    });
    expect(lastBody().temperature).toBeUndefined();
    use('thinking');
    await create({
      input: 'What is 27 * 453?',
      generation_config: { thinking_level: 'low', max_output_tokens: 4000 },
    });
    expect(lastBody()).toMatchObject({
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
  });

  it('structured output: output_config.format with the schema, objects closed', async () => {
    use('structured');
    const reply = await create({
      input: 'Who won the last euro?',
      response_format: {
        type: 'text',
        mime_type: 'application/json',
        schema: {
          type: 'object',
          properties: { winner: { type: 'object', properties: { team: { type: 'string' } } } },
        },
      },
    });
    expect(JSON.parse(reply.json.steps[0].content[0].text)).toEqual({ winning_team: 'Spain', score: '2-1' });
    expect(lastBody().output_config).toEqual({
      format: {
        type: 'json_schema',
        schema: {
          type: 'object',
          properties: {
            winner: { type: 'object', properties: { team: { type: 'string' } }, additionalProperties: false },
          },
          additionalProperties: false,
        },
      },
    });
  });
});

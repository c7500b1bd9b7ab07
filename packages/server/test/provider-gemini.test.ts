/**
 * The `gemini` provider beyond the conformance kit: thought signatures round-tripped byte for byte (thought
 * parts, signed answers, parallel calls where only the first call is signed), Gemini's own built-ins (grounding
 * with citations, code execution, URL context) recorded as steps it ran, image and speech generation, safety
 * and recitation, the request it sends. Our server over loopback HTTP in front of a fake upstream replaying
 * fixtures composed from the Gemini API documentation (conformance/providers/gemini/fixtures).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture } from './conformance/providers/replay-upstream.ts';
import { historySignedElsewhere, replayProvider, weatherTool as weather } from './helpers/replay-provider.ts';
import { events } from './helpers/server.ts';

const FIXTURES = path.join(import.meta.dirname, 'conformance/providers/gemini/fixtures');
const KEY = 'AIzaSy-provider-test-key-0123456789';
const MODEL = 'gemini-3-flash-preview';

interface Part {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name: string; args: Record<string, unknown> };
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> };
  executableCode?: { language: string; code: string };
  codeExecutionResult?: { outcome: string; output: string };
  inlineData?: { mimeType: string; data: string };
}
type Contents = { role: string; parts: Part[] }[];

/** The fixture's raw thoughtSignature values, in order. */
function signaturesIn(name: string): string[] {
  return JSON.stringify(loadFixture(FIXTURES, name))
    .match(/"thoughtSignature":"([^"]+)"/g)!
    .map((m) => JSON.parse(`{${m}}`).thoughtSignature as string);
}

/** The server with the gemini provider in front of the replay upstream, for the tests of the calling scope. */
function setup(providerOptions: Record<string, unknown> = {}) {
  return replayProvider<{ contents: Contents }>({
    provider: 'gemini',
    fixtureDir: FIXTURES,
    apiKey: KEY,
    model: MODEL,
    providerOptions,
  });
}

describe('gemini: thought signatures', () => {
  const { use, create, lastBody } = setup();

  it('a stateless conversation (store:false) sends every signature back byte for byte, where it came', async () => {
    const [callSignature] = signaturesIn('tool-call');
    use('tool-call');
    const input = [{ type: 'user_input', content: [{ type: 'text', text: 'Weather in Paris?' }] }];
    const first = await create({ input, tools: [weather], store: false });
    expect(first.json.status).toBe('requires_action');
    const fc = first.json.steps.find((s: { type: string }) => s.type === 'function_call');
    expect(fc.signature).toBe(`gemini:${callSignature}`);

    const second = await create({
      input: [
        ...input,
        ...first.json.steps,
        { type: 'function_result', call_id: fc.id, name: 'get_weather', result: 'Sunny, 21 °C' },
      ],
      tools: [weather],
      store: false,
    });
    expect(second.json.status).toBe('completed');
    expect(lastBody().contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: { id: 'call_gem_01', name: 'get_weather', args: { location: 'Paris, France' } },
            thoughtSignature: callSignature,
          },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              id: 'call_gem_01',
              name: 'get_weather',
              response: { result: 'Sunny, 21 °C' },
            },
          },
        ],
      },
    ]);
  });

  it('parallel calls: only the first is signed, and so it goes back', async () => {
    const [signature] = signaturesIn('parallel-calls');
    use('parallel-calls');
    const input = [{ type: 'user_input', content: [{ type: 'text', text: 'Paris and Bogotá?' }] }];
    const first = await create({ input, tools: [weather], store: false });
    const calls = first.json.steps.filter((s: { type: string }) => s.type === 'function_call');
    expect(calls.map((c: { signature?: string }) => c.signature)).toEqual([`gemini:${signature}`, undefined]);
    use('text');
    await create({
      input: [
        ...input,
        ...first.json.steps,
        ...calls.map((c: { id: string }) => ({ type: 'function_result', call_id: c.id, result: 'Sunny' })),
      ],
      tools: [weather],
      store: false,
    });
    const model = lastBody().contents[1]!;
    expect(model.role).toBe('model');
    expect(model.parts.map((p) => p.thoughtSignature)).toEqual([signature, undefined]);
    // Ids Gemini did not give are not sent (the server made them up); the responses follow in call order.
    expect(model.parts.map((p) => p.functionCall?.id)).toEqual([undefined, undefined]);
    expect(lastBody().contents[2]!.parts.map((p) => p.functionResponse?.name)).toEqual([
      'get_weather',
      'get_weather',
    ]);
  });

  it("thought summaries and the answer's signature: a thought step, replayed as Gemini sent it", async () => {
    const [signature] = signaturesIn('thoughts');
    use('thoughts');
    const input = [{ type: 'user_input', content: [{ type: 'text', text: '9.11 or 9.8?' }] }];
    const first = await create({
      input,
      store: false,
      generation_config: { thinking_level: 'high', thinking_summaries: 'auto' },
    });
    expect(lastBody().generationConfig).toMatchObject({
      thinkingConfig: { thinkingLevel: 'high', includeThoughts: true },
    });
    const [thought, answer] = first.json.steps;
    expect(thought).toMatchObject({ type: 'thought', signature: `gemini/next:${signature}` });
    expect(first.json.usage).toMatchObject({ total_thought_tokens: 30, total_output_tokens: 9 });
    use('text');
    await create({
      input: [...input, thought, answer, { type: 'user_input', content: [{ type: 'text', text: 'Sure?' }] }],
      store: false,
    });
    // The signature is back on the answer's first part; the summary (Gemini's own words) is not resent.
    expect(lastBody().contents[1]).toEqual({
      role: 'model',
      parts: [{ text: '9.8 is greater than 9.11.', thoughtSignature: signature }],
    });
  });

  it("another provider's signatures are dropped; an unsigned call of this turn gets Gemini's placeholder", async () => {
    use('text');
    await create({
      input: historySignedElsewhere({
        signature: 'anthropic:EqQBCgIYAhIM',
        thoughtSignature: 'anthropic:EqQBCgIYAhIM',
        callId: 'toolu_01A',
        thought: 'Claude thinks',
      }),
      tools: [weather],
      store: false,
    });
    const sent = JSON.stringify(lastBody());
    expect(sent).not.toContain('EqQBCgIYAhIM');
    expect(sent).not.toContain('Claude thinks');
    expect(lastBody().contents[1]!.parts).toEqual([
      {
        functionCall: { id: 'toolu_01A', name: 'get_weather', args: { location: 'Paris' } },
        thoughtSignature: 'skip_thought_signature_validator',
      },
    ]);
  });
});

describe("gemini: its own built-ins (builtins: 'gemini', the default)", () => {
  const { use, create, lastBody } = setup();

  it('google_search: grounding → google_search_call/result before the answer, with url_citation annotations', async () => {
    use('grounding');
    const reply = await create({
      input: 'Who won the euro 2024?',
      tools: [{ type: 'google_search' }],
      stream: true,
    });
    expect(lastBody().tools).toEqual([{ googleSearch: {} }]);
    const evs = events(reply.text);
    const done = evs.at(-1);
    expect(done.interaction.status).toBe('completed');
    const starts = evs.filter((e) => e.event_type === 'step.start').map((e) => e.step.type);
    expect(starts).toEqual(['google_search_call', 'google_search_result', 'model_output']);
    const search = evs.find(
      (e) => e.event_type === 'step.start' && e.step.type === 'google_search_call',
    ).step;
    expect(search.arguments).toEqual({ queries: ['UEFA Euro 2024 winner', 'who won euro 2024'] });
    const result = evs.find(
      (e) => e.event_type === 'step.start' && e.step.type === 'google_search_result',
    ).step;
    expect(result.call_id).toBe(search.id);
    expect(result.result[0]).toEqual({ search_suggestions: '<!-- HTML and CSS for the search widget -->' });
    const annotations = evs
      .filter((e) => e.event_type === 'step.delta' && e.delta.type === 'text_annotation_delta')
      .flatMap((e) => e.delta.annotations);
    expect(annotations.map((a: { title: string }) => a.title)).toEqual([
      'aljazeera.com',
      'aljazeera.com',
      'uefa.com',
    ]);
    const text = evs
      .filter((e) => e.event_type === 'step.delta' && e.delta.type === 'text')
      .map((e) => e.delta.text)
      .join('');
    const first = annotations[0];
    expect(Buffer.from(text).subarray(first.start_index, first.end_index).toString()).toBe(
      'Spain won Euro 2024, defeating England 2-1 in the final.',
    );
  });

  it('code_execution: Gemini runs it; the call and result are recorded and replayed as its own parts', async () => {
    use('code-execution');
    const first = await create({
      input: 'What is the sum of the first 50 prime numbers?',
      tools: [{ type: 'code_execution' }],
    });
    expect(lastBody().tools).toEqual([{ codeExecution: {} }]);
    expect(first.json.status).toBe('completed');
    const types = first.json.steps.map((s: { type: string }) => s.type);
    expect(types).toEqual(['model_output', 'code_execution_call', 'code_execution_result', 'model_output']);
    const [, codeCall, codeResult] = first.json.steps;
    expect(codeCall.arguments.language).toBe('python');
    expect(codeResult).toMatchObject({ call_id: codeCall.id, result: 'sum(primes)=5117\n' });
    use('text');
    await create({
      input: 'Thanks!',
      previous_interaction_id: first.json.id,
      tools: [{ type: 'code_execution' }],
    });
    const model = lastBody().contents[1]!;
    expect(model.parts.map((p) => Object.keys(p)[0])).toEqual([
      'text',
      'executableCode',
      'codeExecutionResult',
      'text',
    ]);
    expect(model.parts[2]!.codeExecutionResult).toEqual({
      outcome: 'OUTCOME_OK',
      output: 'sum(primes)=5117\n',
    });
  });

  it('url_context: urlContextMetadata → url_context_call/result before the answer', async () => {
    use('url-context');
    const reply = await create({
      input: 'Summarize https://www.wikipedia.org/',
      tools: [{ type: 'url_context' }],
    });
    expect(lastBody().tools).toEqual([{ urlContext: {} }]);
    expect(reply.json.steps.map((s: { type: string }) => s.type)).toEqual([
      'url_context_call',
      'url_context_result',
      'model_output',
    ]);
    expect(reply.json.steps[1].result).toEqual([{ url: 'https://www.wikipedia.org/', status: 'success' }]);
  });
});

describe('gemini: passPublicUris', () => {
  const { use, create, lastBody } = setup({ passPublicUris: true });

  it('a public media URL goes as fileData for Gemini to fetch', async () => {
    use('text');
    await create({
      input: [
        {
          type: 'user_input',
          content: [
            { type: 'text', text: 'Describe this video.' },
            { type: 'video', uri: 'https://example.com/clip.mp4', mime_type: 'video/mp4' },
          ],
        },
      ],
    });
    expect(lastBody().contents[0]!.parts[1]).toEqual({
      fileData: { mimeType: 'video/mp4', fileUri: 'https://example.com/clip.mp4' },
    });
  });
});

describe("gemini: builtins: 'server' runs our tools instead", () => {
  const { use, create, lastBody } = setup({ builtins: 'server' });

  it('google_search and code_execution are offered as functions, not as Gemini tools', async () => {
    use('text');
    await create({ input: 'Hi', tools: [{ type: 'google_search' }, { type: 'code_execution' }] });
    const tools = lastBody().tools as { functionDeclarations?: { name: string }[] }[];
    expect(tools).toHaveLength(1);
    expect(tools[0]!.functionDeclarations!.map((f) => f.name)).toEqual(['google_search', 'code_execution']);
  });
});

describe('gemini: image and speech generation', () => {
  const { use, create, lastBody } = setup();

  it('response_modalities image with image_config → responseModalities, imageConfig; the image comes back', async () => {
    use('image');
    const reply = await create({
      model: 'gemini-3-pro-image-preview',
      input: 'Generate an image of a futuristic city.',
      response_format: { type: 'image', aspect_ratio: '9:16', image_size: '2k' },
    });
    expect(lastBody().generationConfig).toEqual({
      responseModalities: ['IMAGE'],
      imageConfig: { aspectRatio: '9:16', imageSize: '2K' },
    });
    expect(reply.json.status).toBe('completed');
    const output = reply.json.steps.find((s: { type: string }) => s.type === 'model_output');
    expect(output.content.map((c: { type: string }) => c.type)).toEqual(['text', 'image']);
    expect(output.content[1]).toMatchObject({ mime_type: 'image/png' });
    expect(Buffer.from(output.content[1].data, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('speech with one voice, and with several speakers', async () => {
    use('speech');
    const one = await create({
      input: 'Say cheerfully: Have a wonderful day!',
      response_format: { type: 'audio' },
      generation_config: { speech_config: [{ language: 'en-US', voice: 'kore' }] },
    });
    expect(lastBody().generationConfig).toEqual({
      responseModalities: ['AUDIO'],
      speechConfig: { languageCode: 'en-US', voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } } },
    });
    const audio = one.json.steps[0].content[0];
    expect(audio).toMatchObject({ type: 'audio', mime_type: 'audio/L16;codec=pcm;rate=24000', rate: 24000 });

    use('speech');
    await create({
      input: 'TTS the following conversation between Joe and Jane: …',
      response_format: { type: 'audio' },
      generation_config: {
        speech_config: [
          { speaker: 'Joe', voice: 'Kore' },
          { speaker: 'Jane', voice: 'Puck' },
        ],
      },
    });
    expect((lastBody().generationConfig as Record<string, unknown>).speechConfig).toEqual({
      multiSpeakerVoiceConfig: {
        speakerVoiceConfigs: [
          { speaker: 'Joe', voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } } },
          { speaker: 'Jane', voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Puck' } } },
        ],
      },
    });
  });

  it('several speakers without names: 400 naming the field', async () => {
    const reply = await create({
      input: 'Two voices',
      response_format: { type: 'audio' },
      generation_config: { speech_config: [{ voice: 'Kore' }, { voice: 'Puck' }] },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toContain('generation_config.speech_config[0]');
  });
});

describe('gemini: safety, recitation, errors, usage, the request', () => {
  const { ctx, use, create, lastBody } = setup();

  it('a blocked prompt fails with code safety and the reason', async () => {
    use('safety-prompt');
    const reply = await create({ input: 'Something dangerous', stream: true });
    const evs = events(reply.text);
    expect(evs.find((e) => e.event_type === 'error').error).toMatchObject({ code: 'safety' });
    expect(evs.find((e) => e.event_type === 'error').error.message).toContain('blockReason SAFETY');
    expect(evs.at(-1).interaction.status).toBe('failed');
  });

  it('finishReason SAFETY fails the turn; RECITATION ends it incomplete, keeping the text', async () => {
    use('safety-finish');
    const unsafe = await create({ input: 'How to…', stream: true });
    expect(events(unsafe.text).find((e) => e.event_type === 'error').error.message).toContain(
      'finishReason SAFETY',
    );
    use('recitation');
    const recited = await create({ input: 'Recite a novel' });
    expect(recited.json.status).toBe('incomplete');
    expect(recited.json.steps[0].content[0].text).toBe('It was the best of times,');
  });

  it('400 API_KEY_INVALID is refused credentials: upstream_error (502), not retried, naming no key', async () => {
    use('api-key-invalid');
    const before = ctx.upstream.requests.length;
    const reply = await create({ input: 'Hello!' });
    expect(reply.status).toBe(502);
    expect(reply.json.error.code).toBe('upstream_error');
    expect(reply.text).not.toContain(KEY);
    expect(ctx.upstream.requests.length - before).toBe(1);
  });

  it('usage counts cached tokens; the key goes in x-goog-api-key', async () => {
    use('structured');
    const reply = await create({
      input: 'JSON please',
      response_format: { type: 'text', mime_type: 'application/json' },
    });
    expect(reply.json.usage).toMatchObject({
      total_input_tokens: 20,
      total_cached_tokens: 8,
      total_tokens: 34,
    });
    const request = ctx.upstream.requests.at(-1)!;
    expect(request.headers['x-goog-api-key']).toBe(KEY);
    expect(request.path).toBe(`/v1/models/${MODEL}:streamGenerateContent?alt=sse`);
    expect(lastBody().generationConfig).toEqual({ responseMimeType: 'application/json' });
  });

  it('system instruction, sampling, tool choice and function declarations as Gemini reads them', async () => {
    use('text');
    await create({
      input: [
        {
          type: 'user_input',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image', data: 'iVBORw0KGgo=', mime_type: 'image/png' },
          ],
        },
      ],
      system_instruction: 'You are a cat.',
      tools: [weather],
      generation_config: {
        temperature: 0.5,
        top_p: 0.9,
        max_output_tokens: 100,
        stop_sequences: ['END'],
        tool_choice: { allowed_tools: { mode: 'any', tools: ['get_weather'] } },
      },
    });
    const body = lastBody();
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'You are a cat.' }] });
    expect(body.contents[0]!.parts).toEqual([
      { text: 'What is in this picture?' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
    ]);
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'get_weather', description: weather.description, parametersJsonSchema: weather.parameters },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    });
    expect(body.generationConfig).toEqual({
      temperature: 0.5,
      topP: 0.9,
      maxOutputTokens: 100,
      stopSequences: ['END'],
    });
  });
});

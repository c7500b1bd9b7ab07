/**
 * Every REST (curl) example of the seed guides, sent over real HTTP to our server as the guide writes it:
 * the same method, path (`?alt=sse` included), headers and body, in the legacy revision (`Api-Revision:
 * 2026-05-07`, what the guides were written for) and again in the steps revision (where the body is valid
 * there). Only what a user fills in is replaced (`$(base64 -w0 car.png)`, `YOUR_URL`, `FILE_URI`,
 * `INTERACTION_ID`, `FUNCTION_CALL_ID`, and the hosted MCP demo URL, out of reach offline); two-step
 * examples run their first step and continue with its real ids.
 *
 * The server runs its default script with the built-in tools (test search corpus, Pyodide), hosted MCP
 * against examples/mcp/weather-server.ts, and the Deep Research agent. Each example must answer 200 with a
 * sensible status and an answer of the right kind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, events, type Reply } from '../helpers/server.ts';
import {
  API_KEY,
  type Conformance,
  expectAnswered,
  expectInteraction,
  FIBONACCI_50,
  type Json,
  MEDIA,
  MEDIA_FOR_TYPE,
  needsFile,
  outputsOf,
  REVISION_HEADER,
  type Realize,
  type Revision,
  realize,
  type SeedRequest,
  seedGetRequests,
  seedPostRequests,
  startConformance,
  textOf,
  uploadFile,
  weatherFor,
} from './support.ts';

let env: Conformance;
beforeAll(async () => {
  env = await startConformance();
});
afterAll(() => env.close());

interface Ran {
  revision: Revision;
  request: SeedRequest;
  /** The body as sent. */
  body: Json;
  reply: Reply;
  /** JSON answer (or, for a stream, the interaction read back with GET after it). */
  json: Json;
  outputs: Json[];
  text: string;
  /** Stream events, for `stream: true` bodies. */
  events?: Json[];
}

const headers = (revision: Revision) => ({
  'content-type': 'application/json',
  'x-goog-api-key': API_KEY,
  'api-revision': REVISION_HEADER[revision],
});

async function getInteraction(id: string, revision: Revision): Promise<Json> {
  const got = await call(`${env.api.url}/v1beta/interactions/${id}`, { headers: headers(revision) });
  expect(got.status, got.text).toBe(200);
  return got.json;
}

/** Send a seed request (its predecessor first, for a second step), as the seed writes it. */
async function send(request: SeedRequest, revision: Revision): Promise<Ran> {
  const ctx: Realize = { media: env.media, mcpUrl: env.mcpUrl };
  if (needsFile(request)) {
    const jpeg = MEDIA['cats-and-dogs.jpg'] as { data: Buffer; mime: string };
    ctx.fileUri = (await uploadFile(env.api.url, jpeg.data, jpeg.mime)).uri;
  }
  if (request.previous) {
    const first = await send(request.previous, revision);
    expect(first.reply.status, first.reply.text).toBe(200);
    ctx.interactionId = first.json.id;
    ctx.callId = first.outputs.find((o) => o.type === 'function_call')?.id;
  }
  const { body, replaced } = realize(request.body, ctx);
  const reply = await call(`${env.api.url}${request.path}`, {
    method: request.method,
    headers: headers(revision),
    // Byte for byte as in the seed when nothing had to be filled in.
    raw: replaced.length === 0 ? (request.text as string) : JSON.stringify(body),
  });
  const ran: Ran = { revision, request, body, reply, json: reply.json, outputs: [], text: '' };
  if (reply.status !== 200) return ran;
  if ((body as Json).stream === true) {
    expect(reply.headers.get('content-type')).toBe('text/event-stream');
    ran.events = events(reply.text);
    const first = ran.events[0];
    ran.json = await getInteraction(first.interaction.id, revision);
  } else {
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  }
  expectInteraction(ran.json, revision);
  ran.outputs = outputsOf(ran.json, revision);
  ran.text = textOf(ran.outputs);
  return ran;
}

// ---- what each example must answer ------------------------------------------------------------

interface Case {
  name: string;
  match: (body: Json, request: SeedRequest) => boolean;
  /** The body is not valid in the steps revision: why. There it must be a 400 naming the problem. */
  notInSteps?: string;
  check: (ran: Ran) => void | Promise<void>;
}

/** The user's text of a body: a string input, the text parts of a content list, or the last user turn. */
function promptOf(body: Json): string {
  const input = body.input;
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return '';
  const last = input.at(-1);
  if (last?.role) return typeof last.content === 'string' ? last.content : textOf(last.content ?? []);
  return textOf(input);
}
const toolTypes = (body: Json): string[] => (body.tools ?? []).map((t: Json) => t.type);
const mediaPart = (body: Json): Json | undefined =>
  Array.isArray(body.input) ? body.input.find((p: Json) => p.type in MEDIA_FOR_TYPE) : undefined;

function expectStatus(ran: Ran, status: string): void {
  expect(ran.reply.status, ran.reply.text).toBe(200);
  expect(ran.json.status).toBe(status);
}
const only = (ran: Ran, type: string): Json => {
  const found = ran.outputs.filter((o) => o.type === type);
  expect(found, `one ${type} output`).toHaveLength(1);
  return found[0];
};
function expectJsonAnswer(ran: Ran): Json {
  const text = ran.outputs.findLast((o) => o.type === 'text')?.text;
  expect(typeof text).toBe('string');
  return JSON.parse(text);
}

const CASES: Case[] = [
  {
    name: 'text prompt: a programming joke',
    match: (b) => /joke about programming/.test(promptOf(b)),
    check(ran) {
      expectStatus(ran, 'completed');
      expect(ran.outputs.at(-1)?.type).toBe('text');
      expectAnswered(ran.text);
    },
  },
  {
    name: 'stateful conversation, turn 1',
    match: (b) => promptOf(b) === 'Hi, my name is Phil.',
    check(ran) {
      expectStatus(ran, 'completed');
      expect(ran.text).toContain('Phil');
    },
  },
  {
    name: 'stateful conversation, turn 2 (previous_interaction_id of turn 1)',
    match: (b) => b.previous_interaction_id !== undefined && promptOf(b) === 'What is my name?',
    check(ran) {
      expectStatus(ran, 'completed');
      expect(ran.json.previous_interaction_id).toBe(ran.body.previous_interaction_id);
      expect(ran.text).toMatch(/\bPhil\b/);
      expectAnswered(ran.text);
    },
  },
  {
    name: 'stateless conversation (Turn[] history)',
    match: (b) => Array.isArray(b.input) && b.input[0]?.role !== undefined,
    notInSteps: 'Turn[] input ({role, content}) was replaced by Step[] in the steps revision',
    check(ran) {
      expectStatus(ran, 'completed');
      // "the second one" of Madrid, Barcelona, Valencia.
      expect(ran.text).toMatch(/Barcelona/);
      expectAnswered(ran.text);
    },
  },
  {
    name: 'media understanding (image/audio/video/document, inline or by URL)',
    match: (b) => mediaPart(b) !== undefined && !/see/.test(promptOf(b)),
    check(ran) {
      expectStatus(ran, 'completed');
      expectAnswered(ran.text);
      expect(ran.text).toContain(mediaPart(ran.body).type);
    },
  },
  {
    name: 'image by a remote URL or a Files API URI',
    match: (b) => mediaPart(b) !== undefined && /Describe what you see/.test(promptOf(b)),
    check(ran) {
      expectStatus(ran, 'completed');
      expectAnswered(ran.text);
      expect(ran.text).toContain('image');
    },
  },
  {
    name: 'image generation',
    match: (b) => /Generate an image/.test(promptOf(b)),
    check(ran) {
      expectStatus(ran, 'completed');
      const image = only(ran, 'image');
      expect(image.mime_type).toMatch(/^image\//);
      expect(Buffer.from(image.data, 'base64').subarray(0, 4).toString('latin1')).toBe('\x89PNG');
    },
  },
  {
    name: 'speech generation (TTS)',
    match: (b) => (b.response_modalities ?? []).includes('AUDIO'),
    check(ran) {
      expectStatus(ran, 'completed');
      const audio = only(ran, 'audio');
      expect(audio.mime_type).toMatch(/^audio\//);
      expect(Buffer.from(audio.data, 'base64').length).toBeGreaterThan(0);
    },
  },
  {
    name: 'Deep Research agent, background: in_progress, then polled to completed',
    match: (b) => b.agent !== undefined,
    async check(ran) {
      expect(ran.reply.status, ran.reply.text).toBe(200);
      expect(['in_progress', 'completed']).toContain(ran.json.status);
      expect(ran.json.agent).toBe(ran.body.agent);
      let done = ran.json;
      const deadline = Date.now() + 20_000;
      while (done.status === 'in_progress' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        // The seed's "Poll for results" GET.
        done = await getInteraction(ran.json.id, ran.revision);
      }
      expect(done.status).toBe('completed');
      expectInteraction(done, ran.revision);
      const outputs = outputsOf(done, ran.revision);
      expect(outputs.some((o) => o.type === 'google_search_call')).toBe(true);
      const results = outputs.filter((o) => o.type === 'google_search_result').flatMap((o) => o.result);
      expect(results.some((r: Json) => /tpu/i.test(`${r.url} ${r.title}`))).toBe(true);
      const report = outputs.at(-1);
      expect(report.type).toBe('text');
      expect(report.text).toMatch(/TPU/);
      expectAnswered(report.text);
      expect(report.annotations?.some((a: Json) => a.type === 'url_citation')).toBe(true);
    },
  },
  {
    name: 'function calling: get_weather → requires_action with a function_call',
    match: (b) => toolTypes(b).includes('function') && b.tools[0].name === 'get_weather',
    check(ran) {
      expectStatus(ran, 'requires_action');
      const fc = only(ran, 'function_call');
      expect(fc).toMatchObject({ name: 'get_weather', arguments: { location: 'Paris' } });
      expect(typeof fc.id).toBe('string');
    },
  },
  {
    name: 'function result sent back (previous_interaction_id, call_id of the real call)',
    match: (b) => b.input?.[0]?.type === 'function_result',
    check(ran) {
      expectStatus(ran, 'completed');
      expect(ran.text).toContain('The weather in Paris is sunny.');
      expectAnswered(ran.text);
    },
  },
  {
    name: 'google_search: search call and result, then a text answer',
    match: (b) => toolTypes(b).includes('google_search') && b.response_format === undefined,
    check(ran) {
      expectStatus(ran, 'completed');
      const searchCall = only(ran, 'google_search_call');
      expect(searchCall.arguments.queries).toEqual([promptOf(ran.body)]);
      const result = only(ran, 'google_search_result');
      expect(result.call_id).toBe(searchCall.id);
      expect(result.result.some((r: Json) => /super bowl/i.test(`${r.title}`))).toBe(true);
      expect(ran.outputs.at(-1)?.type).toBe('text');
      expectAnswered(ran.text);
    },
  },
  {
    name: 'code_execution: the 50th Fibonacci number is 12586269025',
    match: (b) => toolTypes(b).includes('code_execution'),
    check(ran) {
      expectStatus(ran, 'completed');
      const exec = only(ran, 'code_execution_call');
      expect(exec.arguments.code).toMatch(/fib/);
      const result = only(ran, 'code_execution_result');
      expect(result).toMatchObject({ call_id: exec.id });
      expect(result.is_error ?? false).toBe(false);
      expect(String(result.result).trim()).toBe(FIBONACCI_50);
      expect(ran.outputs.at(-1)?.type).toBe('text');
      expect(ran.text).toContain(FIBONACCI_50);
    },
  },
  {
    name: 'url_context: fetch call and result, then a text answer',
    match: (b) => toolTypes(b).includes('url_context') && b.response_format === undefined,
    check(ran) {
      expectStatus(ran, 'completed');
      const fetchCall = only(ran, 'url_context_call');
      expect(fetchCall.arguments.urls).toEqual(['https://www.wikipedia.org/']);
      const result = only(ran, 'url_context_result');
      expect(result.call_id).toBe(fetchCall.id);
      // Offline the fetch fails (status "error"); with a network it succeeds. Either is an answer.
      expect(result.result[0]).toMatchObject({ url: 'https://www.wikipedia.org/' });
      expect(['success', 'error', 'paywall', 'unsafe']).toContain(result.result[0].status);
      expect(ran.outputs.at(-1)?.type).toBe('text');
      expectAnswered(ran.text);
      expect(ran.text).toContain('https://www.wikipedia.org/');
    },
  },
  {
    name: 'computer_use: a UI action for the client (function_call), requires_action',
    match: (b) => toolTypes(b).includes('computer_use'),
    check(ran) {
      expectStatus(ran, 'requires_action');
      const action = only(ran, 'function_call');
      expect(typeof action.name).toBe('string');
      expect(action.name).not.toBe('drag_and_drop'); // excluded by the request
      // The declaration is kept as sent (camelCase legacy field included).
      expect(ran.json.tools[0]).toMatchObject({ type: 'computer_use', environment: 'browser' });
    },
  },
  {
    name: 'hosted MCP weather_service: tool call on the MCP server, its result, then text',
    match: (b) => toolTypes(b).includes('mcp_server'),
    check(ran) {
      expectStatus(ran, 'completed');
      const mcpCall = only(ran, 'mcp_server_tool_call');
      expect(mcpCall).toMatchObject({
        server_name: 'weather_service',
        name: 'get_weather',
        arguments: { location: 'New York' },
      });
      const result = only(ran, 'mcp_server_tool_result');
      expect(result.call_id).toBe(mcpCall.id);
      expect(result.is_error ?? false).toBe(false);
      const answer = weatherFor('New York');
      expect(JSON.stringify(result.result)).toContain(answer.slice(0, 20));
      expect(ran.text).toContain(answer.slice(0, 20));
      expect(ran.json.system_instruction).toBe(ran.body.system_instruction);
    },
  },
  {
    name: 'structured output: moderation JSON matching response_format',
    match: (b) => b.response_format !== undefined && !toolTypes(b).includes('google_search'),
    check(ran) {
      expectStatus(ran, 'completed');
      const value = expectJsonAnswer(ran);
      expect(value).toEqual({
        decision: { reason: expect.any(String), spam_type: expect.any(String) },
      });
    },
  },
  {
    name: 'google_search + structured output: search, then JSON matching response_format',
    match: (b) => b.response_format !== undefined && toolTypes(b).includes('google_search'),
    check(ran) {
      expectStatus(ran, 'completed');
      only(ran, 'google_search_call');
      const result = only(ran, 'google_search_result');
      expect(result.result.some((r: Json) => /euro/i.test(`${r.title}`))).toBe(true);
      expect(ran.outputs.at(-1)?.type).toBe('text');
      const value = expectJsonAnswer(ran);
      expect(value).toMatchObject({ winning_team: expect.any(String), score: expect.any(String) });
    },
  },
  {
    name: 'streaming (POST …/interactions?alt=sse, stream: true)',
    match: (b) => b.stream === true,
    check(ran) {
      expectStatus(ran, 'completed');
      const evs = ran.events as Json[];
      const types = evs.map((e) => e.event_type);
      for (const e of evs) expect(e.event_id).toMatch(/^evt_/);
      let streamed = '';
      if (ran.revision === 'legacy') {
        expect(types[0]).toBe('interaction.start');
        expect(types).toContain('content.start');
        expect(types).toContain('content.stop');
        expect(types.at(-1)).toBe('interaction.complete');
        expect(types.filter((t) => /^(step\.|interaction\.created|interaction\.completed)/.test(t))).toEqual(
          [],
        );
        for (const e of evs)
          if (e.event_type === 'content.delta' && e.delta.type === 'text') streamed += e.delta.text;
      } else {
        expect(types[0]).toBe('interaction.created');
        expect(types).toContain('step.start');
        expect(types).toContain('step.stop');
        expect(types.at(-1)).toBe('interaction.completed');
        expect(types.filter((t) => /^(content\.|interaction\.start|interaction\.complete$)/.test(t))).toEqual(
          [],
        );
        for (const e of evs)
          if (e.event_type === 'step.delta' && e.delta.type === 'text') streamed += e.delta.text;
      }
      const last = evs.at(-1);
      expect(last.interaction).toMatchObject({ id: ran.json.id, status: 'completed' });
      expect(last.interaction.usage.total_tokens).toBeGreaterThan(0);
      // The terminal event carries no content: clients reassemble it from the deltas.
      expect(last.interaction.outputs ?? last.interaction.steps ?? []).toEqual([]);
      expectAnswered(streamed);
      expect(streamed).toMatch(/entangle/i);
      // What streamed is what was stored.
      expect(streamed).toBe(ran.text);
    },
  },
  {
    name: 'generation_config (temperature, max_output_tokens, thinking_level)',
    match: (b) => b.generation_config?.temperature !== undefined,
    check(ran) {
      expectStatus(ran, 'completed');
      expectAnswered(ran.text);
      expect(ran.text).toMatch(/knight|dragon|sir/i);
      expect(ran.json.generation_config ?? ran.body.generation_config).toMatchObject({ temperature: 0.7 });
    },
  },
  {
    name: 'thinking: thought (signature, summary) before the answer',
    match: (b) => b.generation_config?.thinking_summaries !== undefined,
    check(ran) {
      expectStatus(ran, 'completed');
      const thought = only(ran, 'thought');
      expect(typeof thought.signature).toBe('string');
      expect(thought.signature.length).toBeGreaterThan(0);
      expect(thought.summary[0]).toMatchObject({ type: 'text', text: expect.any(String) });
      expect(ran.outputs.indexOf(thought)).toBeLessThan(ran.outputs.findIndex((o) => o.type === 'text'));
      expect(ran.text).toMatch(/\b36\b/);
    },
  },
];

function caseOf(request: SeedRequest): Case {
  const found = CASES.filter((c) => c.match(request.body, request));
  if (found.length !== 1) {
    throw new Error(
      `seed request at ${request.at.join(', ')} matches ${found.length} cases (${found.map((c) => c.name).join('; ')}): ${request.text}`,
    );
  }
  return found[0] as Case;
}

const posts = seedPostRequests();
const gets = seedGetRequests();

describe('the seeds’ curl requests', () => {
  it('are all found, and each has exactly one expectation', () => {
    // 96 bodies in the four seeds; identical ones (the same example in several guides) run once.
    expect(posts.reduce((n, r) => n + r.at.length, 0)).toBeGreaterThanOrEqual(96);
    for (const r of posts) caseOf(r);
    for (const c of CASES)
      expect(
        posts.some((r) => c.match(r.body, r)),
        c.name,
      ).toBe(true);
    expect(gets.map((g) => g.path).sort()).toEqual([
      '/v1beta/interactions/<YOUR_INTERACTION_ID>',
      '/v1beta/interactions/INTERACTION_ID',
    ]);
  });
});

describe.each(['legacy', 'steps'] as const)('seed curl examples, %s revision', (revision) => {
  for (const request of posts) {
    let c: Case;
    try {
      c = caseOf(request);
    } catch (error) {
      // A new or changed seed example: fail here rather than at collection.
      it(`seed request [${request.at.join(' ')}]`, () => {
        throw error;
      });
      continue;
    }
    const name = `${c.name} [${request.at.join(' ')}]`;
    if (revision === 'steps' && c.notInSteps) {
      it(`${name}: 400 (${c.notInSteps})`, async () => {
        const ran = await send(request, revision);
        expect(ran.reply.status).toBe(400);
        expect(ran.reply.json.error).toMatchObject({
          code: 'invalid_request',
          message: expect.stringMatching(/input/),
        });
      });
      continue;
    }
    it(name, async () => {
      const ran = await send(request, revision);
      await c.check(ran);
    });
  }

  for (const request of gets) {
    it(`GET ${request.path} [${request.at.join(' ')}]: the stored interaction`, async () => {
      const joke = posts.find((r) => caseOf(r).name.includes('joke')) as SeedRequest;
      const created = await send(joke, revision);
      const id = created.json.id as string;
      const got = await call(
        `${env.api.url}${request.path.replace(/<YOUR_INTERACTION_ID>|INTERACTION_ID/, id)}`,
        {
          // The seed's GET sends only the key.
          headers: { 'x-goog-api-key': API_KEY, 'api-revision': REVISION_HEADER[revision] },
        },
      );
      expect(got.status, got.text).toBe(200);
      expectInteraction(got.json, revision);
      expect(got.json).toMatchObject({ id, status: 'completed', model: created.json.model });
      expect(outputsOf(got.json, revision)).toEqual(created.outputs);
      if (revision === 'steps') {
        // GET returns the user_input step first (POST returns the output steps only).
        expect(got.json.steps[0]).toEqual({
          type: 'user_input',
          content: [{ type: 'text', text: joke.body?.input }],
        });
      }
    });
  }
});

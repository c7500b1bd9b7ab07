/**
 * 2,000 seeded random malformed requests: every one gets a 4xx with the error envelope, never a 5xx, and the
 * server keeps serving. Each generator introduces a definite fault (so a 200 is a bug too). Then well-formed
 * requests of hostile shape — long single words, deep nesting, large bodies — against the default script, the
 * search corpus and the deep-research agent: each is answered 200, and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEARCH_CORPUS } from '../src/builtins/google-search/demo-corpus.ts';
import { call, closeAll, startServer, type TestServer, textScript } from './helpers/server.ts';

let t: TestServer;
/** The default script, the bundled search corpus, the deep-research agent. */
let full: TestServer;
const BODY_LIMIT = 256 * 1024;

beforeAll(async () => {
  t = await startServer({ script: textScript('ok'), bodyLimit: BODY_LIMIT, apiKeys: ['fuzz-key'] });
  full = await startServer({
    bodyLimit: BODY_LIMIT,
    builtins: { searchCorpusPath: DEMO_SEARCH_CORPUS, disable: ['code_execution', 'url_context'] },
  });
});
afterAll(closeAll);

/** mulberry32: a tiny seeded PRNG, so a failure replays exactly. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const word = (r: Rng) =>
  Array.from({ length: 3 + r.int(8) }, () => 'abcdefghijklmnopqrstuvwxyz_'[r.int(27)]).join('');

function valid(r: Rng): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: r.pick(['gemini-3-flash-preview', 'm', 'gemini-2.5-pro']),
    input: 'Hi',
  };
  if (r.next() < 0.3)
    body.tools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }];
  if (r.next() < 0.3) body.generation_config = { temperature: 0.5 };
  if (r.next() < 0.3) body.system_instruction = 'Be brief.';
  return body;
}

/** A value of a type the field does not take. */
function wrongValue(r: Rng, kind: 'string' | 'bool' | 'object' | 'array' | 'number'): unknown {
  const choices: Record<typeof kind, unknown[]> = {
    string: [42, true, [], { a: 1 }, [1, 2]],
    bool: ['yes', 1, 0, [], { v: true }, 'true'],
    object: ['config', 7, [1], true],
    array: ['tool', 3, { type: 'function' }, true],
    number: ['hot', [], { v: 1 }, true],
  };
  return r.pick(choices[kind]);
}

const TYPED_FIELDS: [string, 'string' | 'bool' | 'object' | 'array'][] = [
  ['model', 'string'],
  ['agent', 'string'],
  ['system_instruction', 'string'],
  ['previous_interaction_id', 'string'],
  ['stream', 'bool'],
  ['store', 'bool'],
  ['background', 'bool'],
  ['generation_config', 'object'],
  ['tools', 'array'],
];

type Case = { raw: string | Uint8Array; query?: string; why: string };

const GENERATORS: ((r: Rng) => Case)[] = [
  // Broken JSON.
  (r) => {
    const text = JSON.stringify(valid(r));
    const cut = text.slice(0, 1 + r.int(text.length - 2));
    return {
      raw: r.pick([
        cut,
        `${text},`,
        `${text}}`,
        text.replace(':', ''),
        `{'model': 'm'}`,
        'NaN',
        '{"a":undefined}',
      ]),
      why: 'bad json',
    };
  },
  // Not an object at the root.
  (r) => ({
    raw: r.pick(['[]', '[{"model":"m","input":"x"}]', '"text"', '42', 'null', 'true', '']),
    why: 'root',
  }),
  // Binary garbage.
  (r) => ({ raw: Uint8Array.from({ length: 1 + r.int(64) }, () => 128 + r.int(128)), why: 'binary' }),
  // Required fields missing.
  (r) => {
    const body = valid(r);
    delete body.input;
    if (r.next() < 0.5) delete body.model;
    return { raw: JSON.stringify(body), why: 'missing input' };
  },
  (r) => {
    const body = valid(r);
    delete body.model;
    return { raw: JSON.stringify(body), why: 'neither model nor agent' };
  },
  // A field of the wrong type.
  (r) => {
    const body = valid(r);
    const [field, kind] = r.pick(TYPED_FIELDS);
    body[field] = wrongValue(r, kind);
    return { raw: JSON.stringify(body), why: `wrong type ${field}` };
  },
  (r) => {
    const body = valid(r);
    body.input = r.pick([
      42,
      true,
      { type: 'hologram', data: 'x' },
      [{ type: 'text' }],
      [{ type: 'text', text: 5 }],
      [7],
    ]);
    return { raw: JSON.stringify(body), why: 'bad input' };
  },
  (r) => {
    const body = valid(r);
    body.generation_config = {
      [r.pick(['temperature', 'top_p', 'max_output_tokens', 'seed'])]: wrongValue(r, 'number'),
    };
    return { raw: JSON.stringify(body), why: 'bad generation_config' };
  },
  // Unknown tool and content types.
  (r) => {
    const body = valid(r);
    body.tools = [{ type: `${word(r)}_tool` }];
    return { raw: JSON.stringify(body), why: 'unknown tool type' };
  },
  (r) => {
    const body = valid(r);
    body.input = [{ type: `${word(r)}_content`, text: 'x' }];
    return { raw: JSON.stringify(body), why: 'unknown content type' };
  },
  // Wrong enum values.
  (r) => {
    const body = valid(r);
    const which = r.int(3);
    if (which === 0) body.generation_config = { thinking_level: r.pick(['ultra', 'LOWEST', 'none', 'max']) };
    else if (which === 1) body.service_tier = r.pick(['platinum', 'free', 'gold']);
    else body.generation_config = { thinking_summaries: r.pick(['always', 'sometimes']) };
    return { raw: JSON.stringify(body), why: 'wrong enum' };
  },
  // Huge nesting.
  (r) => {
    const depth = 300 + r.int(20_000);
    const open = r.next() < 0.5 ? '['.repeat(depth) : '{"a":'.repeat(depth);
    const close = open.startsWith('[') ? ']'.repeat(depth) : '}'.repeat(depth);
    return { raw: `{"model":"m","input":${open}1${close}}`, why: `nesting ${depth}` };
  },
  // Semantics: background without store, an unknown previous interaction.
  () => ({
    raw: JSON.stringify({ model: 'm', input: 'x', background: true, store: false }),
    why: 'background+store',
  }),
  (r) => ({
    raw: JSON.stringify({ model: 'm', input: 'x', previous_interaction_id: `v1_${word(r)}` }),
    why: 'unknown previous id',
  }),
  // Too big.
  (r) => ({
    raw: JSON.stringify({ model: 'm', input: 'x'.repeat(BODY_LIMIT + r.int(10_000)) }),
    why: 'too big',
  }),
  // A bad query parameter on an otherwise valid body.
  (r) => ({
    raw: JSON.stringify(valid(r)),
    query: `?stream=${r.pick(['yes', 'maybe', '2'])}`,
    why: 'bad query',
  }),
];

describe('fuzz', () => {
  it('2,000 malformed requests: 4xx + envelope every time, never 5xx, server stays up', async () => {
    const r = rng(20_260_520);
    const failures: string[] = [];
    const byStatus = new Map<number, number>();
    for (let i = 0; i < 2_000; i++) {
      const gen = GENERATORS[i % GENERATORS.length] as (r: Rng) => Case;
      const c = gen(r);
      const headers: Record<string, string> = {
        'x-goog-api-key': 'fuzz-key',
        'content-type': 'application/json',
        'api-revision': r.pick(['2026-05-07', '2026-05-20']),
      };
      const reply = await call(`${t.url}/v1beta/interactions${c.query ?? ''}`, {
        method: 'POST',
        raw: c.raw,
        headers,
      });
      byStatus.set(reply.status, (byStatus.get(reply.status) ?? 0) + 1);
      const envelope =
        reply.json?.error &&
        typeof reply.json.error.code === 'string' &&
        typeof reply.json.error.message === 'string';
      if (reply.status < 400 || reply.status >= 500 || !envelope) {
        failures.push(`#${i} ${c.why}: ${reply.status} ${reply.text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect([...byStatus.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    expect(byStatus.get(400)).toBeGreaterThan(1_500);
    expect(byStatus.get(404)).toBeGreaterThan(0);
    expect(byStatus.get(413)).toBeGreaterThan(0);
    expect((await call(`${t.url}/healthz`)).status).toBe(200);
    expect(t.logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  }, 120_000);
});

/** Well-formed requests of hostile shape; every one must be answered 200. */
const HOSTILE_SHAPES: ((r: Rng) => { body: Record<string, unknown>; why: string })[] = [
  // One long word, where the user's text goes: the input, a text part, the system instruction.
  (r) => {
    const word = 'abcdefghijklmnopqrstuvwxyz'[r.int(26)]!.repeat(1_000 + r.int(200_000));
    const tools = r.pick([[], [{ type: 'google_search' }], [{ type: 'function', name: 'get_weather' }]]);
    const at = r.int(3);
    const body: Record<string, unknown> = {
      model: 'm',
      input: at === 1 ? [{ type: 'text', text: word }] : word,
    };
    if (at === 2) body.system_instruction = word;
    if (tools.length > 0) body.tools = tools;
    return { body, why: `long word ${word.length} (${at}, ${tools.length} tools)` };
  },
  (r) => ({
    body: {
      agent: 'deep-research-pro-preview-12-2025',
      background: true,
      input: 'q'.repeat(1_000 + r.int(200_000)),
      tools: [{ type: 'google_search' }],
    },
    why: 'deep research, long word',
  }),
  // Deep nesting inside the depth limit (256): a function schema, and extra fields on an input part.
  (r) => {
    const depth = 10 + r.int(240);
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < depth / 2 - 2; i++) schema = { type: 'object', properties: { a: schema } };
    return {
      body: { model: 'm', input: 'Hi', tools: [{ type: 'function', name: 'deep', parameters: schema }] },
      why: `schema nested ${depth}`,
    };
  },
  (r) => {
    const depth = 10 + r.int(240);
    const open = '{"a":'.repeat(depth);
    const extra = JSON.parse(`${open}1${'}'.repeat(depth)}`);
    return {
      body: { model: 'm', input: [{ type: 'text', text: 'Hi', extra }] },
      why: `extra nested ${depth}`,
    };
  },
  // Large bodies under the limit: many words, many parts, many tools.
  (r) => ({
    body: { model: 'm', input: Array.from({ length: 20_000 + r.int(15_000) }, (_, i) => `w${i}`).join(' ') },
    why: 'many words',
  }),
  (r) => ({
    body: {
      model: 'm',
      input: Array.from({ length: 1_000 + r.int(4_000) }, (_, i) => ({ type: 'text', text: `part ${i}` })),
    },
    why: 'many parts',
  }),
  (r) => ({
    body: {
      model: 'm',
      input: 'What is the weather in Paris?',
      tools: Array.from({ length: 200 + r.int(800) }, (_, i) => ({ type: 'function', name: `tool_${i}` })),
    },
    why: 'many tools',
  }),
];

describe('hostile shapes', () => {
  it('long single words, deep nesting and large bodies: answered 200, the server keeps serving', async () => {
    const r = rng(20_261_219);
    const failures: string[] = [];
    for (let i = 0; i < 70; i++) {
      const gen = HOSTILE_SHAPES[i % HOSTILE_SHAPES.length]!;
      const c = gen(r);
      const raw = JSON.stringify(c.body);
      expect(raw.length, c.why).toBeLessThan(BODY_LIMIT);
      const reply = await call(`${full.url}/v1beta/interactions`, {
        method: 'POST',
        raw,
        headers: { 'content-type': 'application/json' },
      });
      if (reply.status !== 200) failures.push(`#${i} ${c.why}: ${reply.status} ${reply.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect((await call(`${full.url}/healthz`)).status).toBe(200);
    expect(full.logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  }, 120_000);
});

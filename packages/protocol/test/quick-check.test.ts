/**
 * The quick check in front of the lenient parses: it may only say yes to what zod accepts and returns
 * unchanged, and whatever it says no to must parse exactly as before (same value, same error).
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  openUnion,
  parseCreateRequest,
  parseEvent,
  parseInteraction,
  parseWith,
  quickCheck,
  type Revision,
  schemasFor,
} from '../src/index.ts';
import { fixtures, fixturesOf } from './fixtures/index.ts';
import { mutate, ODD_VALUES, prng } from './support/mutate.ts';

type Kind = 'interaction' | 'event';

const lenient = (revision: Revision, kind: Kind): z.ZodType => schemasFor(revision, 'lenient')[kind];

const samples = (revision: Revision, kind: Kind): unknown[] =>
  fixturesOf(fixtures, revision, kind as 'interaction').map((f) => f.value);

/** Changes that often keep a value valid: extra keys, dropped keys, other strings and numbers, new types. */
function vary(value: unknown, rand: () => number): unknown {
  const root = structuredClone(value) as Record<string, unknown>;
  const objects: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      objects.push(v as Record<string, unknown>);
      Object.values(v).forEach(walk);
    }
  };
  walk(root);
  for (let n = 0; n < 1 + Math.floor(rand() * 3); n++) {
    const target = objects[Math.floor(rand() * objects.length)];
    if (!target) break;
    const keys = Object.keys(target);
    const key = keys[Math.floor(rand() * keys.length)];
    const pick = rand();
    if (pick < 0.25) target[`x_${n}`] = [1, 'two', { three: 3 }, null][Math.floor(rand() * 4)];
    else if (key === undefined) continue;
    else if (pick < 0.45) delete target[key];
    else if (pick < 0.65 && typeof target[key] === 'string') target[key] = key === 'type' ? 'brand_new' : 's';
    else if (pick < 0.85 && typeof target[key] === 'number') target[key] = rand() < 0.5 ? 7 : 0.5;
    else target[key] = rand() < 0.5 ? undefined : true;
  }
  return root;
}

/** Yes from the quick check ⇒ zod accepts and returns an equal copy. */
function expectSound(schema: z.ZodType, value: unknown): boolean {
  const yes = quickCheck(schema)(value);
  if (yes) {
    const parsed = parseWith(schema, value, 'value');
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && isDeepStrictEqual(parsed.value, value)).toBe(true);
  }
  return yes;
}

describe('quick check', () => {
  it('vouches for the fixture responses and events of both revisions', () => {
    for (const revision of ['legacy', 'steps'] as const) {
      for (const kind of ['interaction', 'event'] as const) {
        const values = samples(revision, kind);
        const vouched = values.filter((v) => expectSound(lenient(revision, kind), v));
        // The only one it leaves to zod: an interaction echoing its legacy `input` (a custom dispatch).
        expect(values.length - vouched.length).toBeLessThanOrEqual(1);
      }
    }
  });

  it('never vouches for what zod rejects or would return changed (mutated fixtures)', () => {
    const rand = prng(0xc0ffee);
    let yes = 0;
    let no = 0;
    for (let i = 0; i < 3_000; i++) {
      const revision = rand() < 0.5 ? 'legacy' : 'steps';
      const kind = rand() < 0.5 ? 'interaction' : 'event';
      const list = samples(revision, kind);
      const base = list[Math.floor(rand() * list.length)];
      const value = rand() < 0.5 ? mutate(base, rand) : vary(base, rand);
      if (expectSound(lenient(revision, kind), value)) yes++;
      else no++;
    }
    expect(yes).toBeGreaterThan(300);
    expect(no).toBeGreaterThan(300);
  });

  it('says no to hostile and exotic values, and never throws', () => {
    const schema = lenient('steps', 'interaction');
    for (const make of ODD_VALUES) expect(quickCheck(schema)(make())).toBe(false);
    const valid = { id: 'v1_a', status: 'completed' };
    expect(quickCheck(schema)(valid)).toBe(true);
    expect(
      quickCheck(schema)(
        new (class Interaction {
          id = 'v1_a';
          status = 'completed';
        })(),
      ),
    ).toBe(false);
    expect(quickCheck(schema)(JSON.parse('{"id":"v1_a","status":"completed","__proto__":{}}'))).toBe(false);
    const sparse = { ...valid, steps: [] as unknown[] };
    sparse.steps.length = 2;
    expect(quickCheck(schema)(sparse)).toBe(false);
    const tools = { ...valid, tools: [{ type: 'function', parameters: { [Symbol('s')]: 1 } }] };
    expect(quickCheck(schema)(tools)).toBe(false);
    const getter = { ...valid };
    Object.defineProperty(getter, 'model', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(quickCheck(schema)(getter)).toBe(false);
  });

  it('follows zod on key presence: `z.unknown()` fields must be present, optional ones may be absent', () => {
    const check = quickCheck(z.looseObject({ result: z.unknown(), name: z.string().optional() }));
    expect(check({})).toBe(false);
    expect(check({ result: undefined })).toBe(true);
    expect(check({ result: 1, name: undefined })).toBe(true);
    expect(check({ result: 1, name: 2 })).toBe(false);
  });

  it('leaves to zod what it cannot read: refinements, transforms, defaults, formats, stripped keys', () => {
    const unknown = [
      z.string().min(1),
      z.string().refine(() => true),
      z.string().transform((s) => s.length),
      z.string().default('x'),
      z.email(),
      z.int().positive(),
      z.lazy(() => z.string()),
    ];
    for (const schema of unknown) expect(quickCheck(schema)('a@b.co')).toBe(false);
    // A plain object strips unknown keys, so only a value without them comes back unchanged.
    const plain = quickCheck(z.object({ a: z.string() }));
    expect(plain({ a: 'x' })).toBe(true);
    expect(plain({ a: 'x', b: 1 })).toBe(false);
    expect(quickCheck(z.looseObject({ a: z.string() }))({ a: 'x', b: 1 })).toBe(true);
  });

  it('reads open unions: known tags by their variant, unknown ones kept in lenient mode only', () => {
    const variants = { text: z.looseObject({ type: z.literal('text'), text: z.string() }) };
    const open = quickCheck(openUnion(variants, { mode: 'lenient' }));
    const closed = quickCheck(openUnion(variants, { mode: 'strict' }));
    expect(open({ type: 'text', text: 'hi' })).toBe(true);
    expect(open({ type: 'text', text: 1 })).toBe(false);
    expect(open({ type: 'hologram' })).toBe(true);
    expect(open({ type: 'constructor' })).toBe(true);
    expect(closed({ type: 'hologram' })).toBe(false);
    expect(open({ text: 'untagged' })).toBe(false);
    expect(quickCheck(openUnion(variants, { mode: 'lenient', keepUntagged: true }))({ a: 1 })).toBe(true);
  });
});

describe('quick check of create requests (strict)', () => {
  const strictRequest = (revision: Revision): z.ZodType => schemasFor(revision, 'strict').createRequest;
  const requests = (revision: Revision): unknown[] =>
    fixturesOf(fixtures, revision, 'request').map((f) => f.value);

  it('vouches for plain requests: a string input, content and step lists, tools, configuration', () => {
    for (const revision of ['legacy', 'steps'] as const) {
      const values = requests(revision);
      const vouched = values.filter((v) => expectSound(strictRequest(revision), v));
      // Refinements (e.g. case-insensitive enums) leave a few to zod; most requests are vouched for.
      expect(vouched.length, revision).toBeGreaterThan(values.length / 2);
      expect(expectSound(strictRequest(revision), { model: 'm', input: 'Hello', store: true })).toBe(true);
    }
  });

  it('never vouches for a request zod rejects or would change (mutated request fixtures)', () => {
    const rand = prng(0xbeef);
    let yes = 0;
    let no = 0;
    for (let i = 0; i < 3_000; i++) {
      const revision = rand() < 0.5 ? 'legacy' : 'steps';
      const list = requests(revision);
      const base = list[Math.floor(rand() * list.length)];
      const value = rand() < 0.5 ? mutate(base, rand) : vary(base, rand);
      if (expectSound(strictRequest(revision), value)) yes++;
      else no++;
    }
    expect(yes).toBeGreaterThan(300);
    expect(no).toBeGreaterThan(300);
  });

  it('leaves the request rules to zod: model xor agent, input present, config mirrors', () => {
    const check = quickCheck(strictRequest('steps'));
    expect(check({ input: 'x' })).toBe(false);
    expect(check({ model: 'm', agent: 'a', input: 'x' })).toBe(false);
    expect(check({ model: 'm' })).toBe(false);
    expect(check({ agent: 'a', input: 'x', generation_config: {} })).toBe(false);
    expect(check({ model: 'm', input: 'x', agent_config: {} })).toBe(false);
    expect(check({ agent: 'a', input: 'x' })).toBe(true);
    expect(check({ model: 'm', input: 'x', generation_config: { temperature: 0.5 } })).toBe(true);
  });

  it('parseCreateRequest returns a vouched body as it is, and the zod result and error for the rest', () => {
    const body = { model: 'm', input: [{ type: 'user_input', content: [{ type: 'text', text: 'hi' }] }] };
    const parsed = parseCreateRequest(body, 'steps');
    expect(parsed.ok && parsed.value).toBe(body);
    const rand = prng(0xabc);
    let refused = 0;
    for (let i = 0; i < 1_000; i++) {
      const revision = rand() < 0.5 ? 'legacy' : 'steps';
      const list = requests(revision);
      const value = mutate(list[Math.floor(rand() * list.length)], rand);
      if (quickCheck(strictRequest(revision))(value)) continue;
      refused++;
      const viaZod = parseWith(strictRequest(revision), value, 'request body');
      const result = parseCreateRequest(value, revision);
      expect(result.ok).toBe(viaZod.ok);
      if (result.ok && viaZod.ok) expect(result.value).toEqual(viaZod.value);
      if (!result.ok && !viaZod.ok) {
        expect(result.error.message).toBe(viaZod.error.message);
        expect(result.error.field).toBe(viaZod.error.field);
      }
    }
    expect(refused).toBeGreaterThan(300);
  });
});

describe('parses behind the quick check', () => {
  it('return a valid response as it is (no copy)', () => {
    const body = JSON.parse(
      '{"id":"v1_a","status":"requires_action","steps":[{"type":"function_call","id":"c1","name":"f","arguments":{"q":"x"}}]}',
    );
    const parsed = parseInteraction(body, 'steps');
    expect(parsed.ok && parsed.value).toBe(body);
    const event = { event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'hi' } };
    const parsedEvent = parseEvent(event, 'steps');
    expect(parsedEvent.ok && parsedEvent.value).toBe(event);
  });

  it('give every value the quick check refuses the same result and error as a zod parse', () => {
    const rand = prng(0xfeed);
    let refused = 0;
    for (let i = 0; i < 1_000; i++) {
      const revision = rand() < 0.5 ? 'legacy' : 'steps';
      const list = samples(revision, 'interaction');
      const value = mutate(list[Math.floor(rand() * list.length)], rand);
      if (quickCheck(lenient(revision, 'interaction'))(value)) continue;
      refused++;
      const viaZod = parseWith(lenient(revision, 'interaction'), value, 'interaction');
      const parsed = parseInteraction(value, revision);
      expect(parsed.ok).toBe(viaZod.ok);
      if (!parsed.ok && !viaZod.ok) {
        expect(parsed.error.message).toBe(viaZod.error.message);
        expect(parsed.error.field).toBe(viaZod.error.field);
      }
    }
    expect(refused).toBeGreaterThan(500);
  });

  it('still name the field of an invalid response', () => {
    const missingId = parseInteraction({ status: 'completed' }, 'steps');
    expect(missingId.ok).toBe(false);
    expect(!missingId.ok && missingId.error.field).toBe('id');
    const badCall = parseInteraction(
      {
        id: 'v1_a',
        status: 'completed',
        steps: [{ type: 'function_call', id: 'c', name: 'f', arguments: 3 }],
      },
      'steps',
    );
    expect(!badCall.ok && badCall.error.field).toBe('steps[0].arguments');
  });
});

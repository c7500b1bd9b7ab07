/** Property-ish test: randomly mutated valid wire values never make a parser throw. */
import { describe, expect, it } from 'vitest';
import {
  InteractionsError,
  type ParseResult,
  parseCreateRequest,
  parseEvent,
  parseInteraction,
  schemasFor,
} from '../src/index.ts';
import { fixtures, fixturesOf } from './fixtures/index.ts';
import { mutate, ODD_VALUES, prng } from './support/mutate.ts';

function expectWellFormed(result: ParseResult<unknown>): void {
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(result.error).toBeInstanceOf(InteractionsError);
    expect(result.error.code).toBe('invalid_request');
    expect(result.error.message.length).toBeGreaterThan(0);
    expect(['string', 'undefined']).toContain(typeof result.error.field);
  }
}

describe('fuzz', () => {
  const requests = fixtures.filter((f) => f.kind === 'request');
  const responses = [
    ...fixturesOf(fixtures, 'legacy', 'interaction'),
    ...fixturesOf(fixtures, 'steps', 'interaction'),
  ];
  const events = [...fixturesOf(fixtures, 'legacy', 'event'), ...fixturesOf(fixtures, 'steps', 'event')];

  it('500 mutated requests never throw (and both outcomes occur)', () => {
    const rand = prng(0x5eed);
    let failures = 0;
    for (let i = 0; i < 500; i++) {
      const f = requests[Math.floor(rand() * requests.length)];
      if (!f) throw new Error('no request fixtures');
      const body = mutate(f.value, rand);
      const result = parseCreateRequest(body, f.revision);
      expectWellFormed(result);
      if (!result.ok) failures++;
    }
    expect(failures).toBeGreaterThan(100);
    expect(failures).toBeLessThan(500);
  });

  it('the compiled check and the parse agree on 1,000 mutated requests and events', () => {
    // A valid value skips zod's parse (schemas/conforms.ts): the compiled check must accept exactly what it does.
    const rand = prng(0xc0de);
    // A parse that throws (a hostile getter) is a failure to parseCreateRequest/parseEvent too.
    const passes = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) => {
      try {
        return schema.safeParse(value).success;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 500; i++) {
      const f = requests[Math.floor(rand() * requests.length)];
      const e = events[Math.floor(rand() * events.length)];
      if (!f || !e) throw new Error('no fixtures');
      const body = mutate(f.value, rand);
      const strict = schemasFor(f.revision, 'strict');
      expect(parseCreateRequest(body, f.revision).ok).toBe(passes(strict.createRequest, body));
      const event = mutate(e.value, rand);
      expect(parseEvent(event, e.revision).ok).toBe(passes(schemasFor(e.revision).event, event));
    }
  });

  it('500 mutated interactions and events never throw', () => {
    const rand = prng(0xbeef);
    for (let i = 0; i < 250; i++) {
      const r = responses[Math.floor(rand() * responses.length)];
      const e = events[Math.floor(rand() * events.length)];
      if (!r || !e) throw new Error('no fixtures');
      expectWellFormed(parseInteraction(mutate(r.value, rand), r.revision));
      expectWellFormed(parseEvent(mutate(e.value, rand), e.revision));
    }
  });

  it('hostile top-level values never throw', () => {
    for (const make of ODD_VALUES) {
      for (const revision of ['legacy', 'steps'] as const) {
        expectWellFormed(parseCreateRequest(make(), revision));
        expectWellFormed(parseInteraction(make(), revision));
        expectWellFormed(parseEvent(make(), revision));
      }
    }
  });
});

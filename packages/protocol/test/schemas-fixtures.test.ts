/** Every fixture parses with the schema of its revision and kind, and comes back unchanged. */
import { describe, expect, it } from 'vitest';
import {
  type ParseResult,
  parseCreateRequest,
  parseErrorBody,
  parseEvent,
  parseInteraction,
  parseWith,
  schemasFor,
} from '../src/index.ts';
import {
  fixtures,
  type JsonFixture,
  recordedStreams,
  seedJsFixtures,
  seedRestFixtures,
} from './fixtures/index.ts';

function parseFixture(f: JsonFixture): ParseResult<unknown> {
  switch (f.kind) {
    case 'request':
      return parseCreateRequest(f.value, f.revision);
    case 'interaction':
      return parseInteraction(f.value, f.revision);
    case 'event':
      return parseEvent(f.value, f.revision);
    case 'error':
      return parseErrorBody(f.value);
    case 'turns':
      return parseWith(schemasFor(f.revision, 'strict').input, f.value, 'input');
    case 'generation_config':
      return parseWith(schemasFor(f.revision, 'strict').generationConfig, f.value, 'generation_config');
  }
}

describe('fixtures', () => {
  it('have unique names and cover every kind of both revisions', () => {
    const names = fixtures.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    const kinds = new Set(fixtures.map((f) => `${f.revision}:${f.kind}`));
    for (const k of ['request', 'interaction', 'event', 'error']) {
      expect(kinds).toContain(`legacy:${k}`);
      expect(kinds).toContain(`steps:${k}`);
    }
    expect(kinds).toContain('legacy:turns');
    expect(fixtures.length).toBeGreaterThan(130);
  });

  it('seed fixtures are deduplicated across languages and sources', () => {
    const seen = new Map<string, string>();
    for (const f of [...seedRestFixtures, ...seedJsFixtures]) {
      const key = `${f.kind}:${JSON.stringify(f.value)}`;
      expect(seen.get(key), `${f.name} duplicates ${seen.get(key)}`).toBeUndefined();
      seen.set(key, f.name);
    }
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s parses and round-trips', (_name, f) => {
    const input = structuredClone(f.value);
    const result = parseFixture(f);
    if (!result.ok) throw new Error(`${f.name}: [${result.error.field}] ${result.error.message}`);
    expect(result.value).toStrictEqual(input);
    expect(f.value).toStrictEqual(input); // parsing never mutates its input
  });
});

/** `event:`/`data:` frames of an SSE body. */
function sseFrames(text: string): { event?: string; data: string }[] {
  return text
    .split(/\n\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return { event, data };
    });
}

describe('recorded streams', () => {
  it('include the reference transcripts of both revisions', () => {
    const names = recordedStreams.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('reference.steps.stream.thinking-transcript');
    expect(names).toContain('reference.steps.stream.frames-2.4');
    expect(names).toContain('reference.legacy.stream.skeleton-3.9');
  });

  it.each(recordedStreams.map((s) => [s.name, s] as const))(
    '%s: every frame is a valid event',
    (_name, s) => {
      const frames = sseFrames(s.text);
      expect(frames.at(-1)).toEqual({ event: 'done', data: '[DONE]' });
      const events = frames.slice(0, -1);
      expect(events.length).toBeGreaterThan(1);
      for (const frame of events) {
        const result = parseEvent(frame.data, s.revision);
        if (!result.ok)
          throw new Error(`${s.name}: ${frame.data}\n[${result.error.field}] ${result.error.message}`);
        expect(result.value.event_type).toBe(frame.event);
        expect(result.value).toStrictEqual(JSON.parse(frame.data));
      }
    },
  );

  it('every stream ends its body with a blank line', () => {
    for (const s of recordedStreams) expect(s.text.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});

/**
 * The curl bodies of the four seed guides (committed in fixtures/seed-curls.json): each parses as a legacy
 * create request and is a fixture.
 */
import { describe, expect, it } from 'vitest';
import { parseCreateRequest } from '../src/index.ts';
import {
  extractCurlBodies,
  extractCurls,
  seedCurlBodies,
  seedCurlFiles,
  seedRestFixtures,
} from './fixtures/index.ts';

/** 23 bodies in each of the three older editions, 27 in the newer one (counting commented-out ones). */
const MIN_BODIES = 90;

describe('seed curl bodies', () => {
  const bodies = seedCurlBodies;

  it('come from the four seed guides, every curl body in them', () => {
    expect(seedCurlFiles).toHaveLength(4);
    expect(new Set(bodies.map((b) => b.file)).size).toBe(4);
    expect(bodies.length).toBeGreaterThanOrEqual(MIN_BODIES);
    expect(bodies.filter((b) => b.commented).length).toBeGreaterThanOrEqual(8);
  });

  it.each(bodies.map((b) => [`${b.file}:${b.line}`, b] as const))(
    '%s parses as a legacy create request',
    (_w, b) => {
      const json: unknown = JSON.parse(b.text);
      const result = parseCreateRequest(json, 'legacy');
      if (!result.ok) throw new Error(`[${result.error.field}] ${result.error.message}\n${b.text}`);
      expect(result.value).toStrictEqual(json);
    },
  );

  it('every body is a seed-rest fixture and every seed-rest fixture is in the seeds', () => {
    const fixtureValues = new Map(seedRestFixtures.map((f) => [JSON.stringify(f.value), f.name]));
    const scanned = new Set<string>();
    for (const b of bodies) {
      const key = JSON.stringify(JSON.parse(b.text));
      scanned.add(key);
      expect(fixtureValues.has(key), `${b.file}:${b.line} has no fixture`).toBe(true);
    }
    for (const [key, name] of fixtureValues) expect(scanned.has(key), `${name} not in the seeds`).toBe(true);
  });
});

describe('extractCurlBodies', () => {
  it('handles command-substitution splices, commented examples and trailing pipes', () => {
    const text = [
      'curl -X POST "https://x/v1beta/interactions" \\',
      `-d '{"system_instruction": "Today is '"$(date +"%d %B")"'.", "data": "'"$(base64 -w0 a.png)"'"`,
      `}' | jq -r '.outputs[0].text'`,
      '# curl -X POST "https://x/v1beta/interactions" \\',
      "# -d '{",
      '#     "input": "It\'s fine"',
      "# }'",
      'not a body',
    ].join('\n');
    const bodies = extractCurlBodies(text, 't.txt');
    expect(bodies.map((b) => [b.line, b.commented])).toEqual([
      [2, false],
      [5, true],
    ]);
    expect(JSON.parse(bodies[0]?.text ?? '')).toEqual({
      system_instruction: 'Today is $(date +"%d %B").',
      data: '$(base64 -w0 a.png)',
    });
    expect(JSON.parse(bodies[1]?.text ?? '')).toEqual({ input: "It's fine" });
  });

  it('finds nothing in text without curl bodies', () => {
    expect(extractCurlBodies('curl -X GET "https://x"\n-H "k: v"')).toEqual([]);
  });
});

describe('extractCurls', () => {
  const API = 'https://generativelanguage.googleapis.com';

  it('gives each body the method and path of its curl line, and lists the body-less GETs', () => {
    const text = [
      `curl -X POST "${API}/v1beta/interactions?alt=sse" \\`,
      '-H "Content-Type: application/json" \\',
      `-d '{"input": "hi"`,
      `}'`,
      `# curl -X GET "${API}/v1beta/interactions/INTERACTION_ID" \\`,
      '# -H "x-goog-api-key: $GEMINI_API_KEY"',
    ].join('\n');
    expect(extractCurls(text, 't.txt')).toEqual([
      {
        file: 't.txt',
        line: 3,
        commented: false,
        method: 'POST',
        path: '/v1beta/interactions?alt=sse',
        body: '{"input": "hi"\n}',
      },
      { file: 't.txt', line: 5, commented: true, method: 'GET', path: '/v1beta/interactions/INTERACTION_ID' },
    ]);
  });

  it('refuses a body with no curl line above it', () => {
    expect(() => extractCurls(`-d '{"input": "hi"\n}'`, 't.txt')).toThrow(
      /no curl line above the body at t.txt:1/,
    );
  });
});

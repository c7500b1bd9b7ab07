/** Scans the four seed guides for curl bodies: each parses as a legacy create request and is a fixture. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCreateRequest } from '../src/index.ts';
import { extractCurlBodies, scanSeeds, seedRestFixtures, seedsDir } from './fixtures/index.ts';

/** 23 bodies in each of the three older editions, 27 in the newer one (counting commented-out ones). */
const MIN_BODIES = 90;

describe('seed scan', () => {
  const bodies = scanSeeds();

  it('finds the four seed guides and every curl body in them', () => {
    expect(existsSync(seedsDir)).toBe(true);
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

/**
 * The routing example of docs/server/own-model.md — all three upstream providers in one config file — and its
 * Vertex AI entries are valid as printed: each is checked and built, and model ids reach the provider the
 * page says they do.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parseGeminiOptions } from '../src/providers/gemini/options.ts';
import { createProviderRegistry } from '../src/providers/registry.ts';
import { buildRouting, parseRoutingConfig } from '../src/providers/routing/routing-config.ts';

const PAGE = readFileSync(path.join(import.meta.dirname, '../../../docs/server/own-model.md'), 'utf8');
const jsonBlocks = (section: string) => {
  const start = PAGE.indexOf(`## ${section}`);
  const end = PAGE.indexOf('\n## ', start + 1);
  return [...PAGE.slice(start, end).matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!));
};

it('the routing file example builds, and routes gemini-*, claude-*, gpt-* and the rest as it says', async () => {
  const [example] = jsonBlocks('Several providers: the routing file');
  const routing = await buildRouting(parseRoutingConfig(example), createProviderRegistry());
  try {
    const serving = (model: string) => routing.providers.find((p) => p.supportsModel?.(model))?.name;
    expect(serving('gemini-3-flash-preview')).toBe('gemini');
    expect(serving('claude-sonnet-4-5')).toBe('anthropic');
    expect(serving('gpt-4o')).toBe('openai');
    expect(serving('local-anything')).toBe('openai');
    expect(serving('something-else')).toBe('scripted');
    expect(routing.deepResearch).toEqual({ model: 'claude-sonnet-4-5' });
  } finally {
    await Promise.all(routing.instances.map((p) => p.close?.()));
  }
});

it('the Vertex AI entries are valid gemini options', () => {
  const entries = jsonBlocks('Gemini, step by step');
  expect(entries).toHaveLength(2);
  for (const { type, ...options } of entries) {
    expect(type).toBe('gemini');
    expect(parseGeminiOptions(options).baseUrl).toMatch(/aiplatform\.googleapis\.com/);
  }
  expect(() => parseGeminiOptions({ auth: 'oauth' })).toThrow(/option 'auth'/);
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Item } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import type { ProviderEvent, ProviderRequest } from '../src/providers/provider.ts';
import { createProviderRegistry } from '../src/providers/registry.ts';
import { createScriptedProvider } from '../src/providers/scripted/provider.ts';
import { loadScript, parseScript, ScriptError, type ScriptInput } from '../src/providers/scripted/script.ts';

const user = (text: string): Item => ({ type: 'user_input', content: [{ type: 'text', text }] });

function request(items: Item[]): ProviderRequest {
  return { interactionId: 'int_test', model: 'scripted-model', items };
}

const textOf = (evs: ProviderEvent[]) => evs.map((e) => (e.type === 'text' ? e.text : '')).join('');

async function answer(script: ScriptInput, req: ProviderRequest): Promise<string> {
  const out: ProviderEvent[] = [];
  for await (const e of createScriptedProvider({ script }).generate(req, new AbortController().signal))
    out.push(e);
  return textOf(out);
}

const FALLBACK = { respond: 'fallback' };

describe('scripted provider: script validation', () => {
  const problems = (value: unknown): string[] => {
    try {
      parseScript(value);
    } catch (error) {
      if (error instanceof ScriptError) return error.problems;
      throw error;
    }
    return [];
  };

  it('names the rule index and field of each problem', () => {
    expect(
      problems({
        rules: [
          { respond: 'ok' },
          { when: { inptu: 'x' }, respond: 'ok' },
          { when: { input: '(unclosed' }, respond: 'ok' },
          { respond: [{ type: 'function_call' }] },
          { respond: [{ type: 'bogus' }] },
          { when: { history: '[' }, respond: [{ type: 'text', text: 1 }] },
        ],
      }),
    ).toEqual([
      'rules[1].when: Unrecognized key: "inptu"',
      expect.stringMatching(/^rules\[2\]\.when\.input: invalid regex \(RE2 syntax/),
      'rules[3].respond[0].name: Invalid input: expected string, received undefined',
      expect.stringMatching(/^rules\[4\]\.respond\[0\]\.type: Invalid discriminator value/),
      expect.stringMatching(/^rules\[5\]\.when\.history: invalid regex/),
      'rules[5].respond[0].text: Invalid input: expected string, received number',
    ]);
  });

  it('requires exactly one of respond and error, and at least one rule', () => {
    expect(problems({ rules: [{ when: {} }] })).toEqual(['rules[0]: needs exactly one of respond or error']);
    expect(problems({ rules: [{ respond: 'a', error: { code: 'x', message: 'y' } }] })).toEqual([
      'rules[0]: needs exactly one of respond or error',
    ]);
    expect(problems({ rules: [] })[0]).toMatch(/^rules: /);
    expect(problems({})[0]).toMatch(/^rules: /);
  });

  it('puts the source in the message', () => {
    expect(() => parseScript({ rules: [{ when: { input: '(' }, respond: 'x' }] }, 'my-script.json')).toThrow(
      /invalid script my-script\.json:\n {2}rules\[0\]\.when\.input: invalid regex/,
    );
  });

  it('loads JSON and JS module scripts from files, and rejects broken JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'interplay-script-'));
    const json = join(dir, 'script.json');
    await writeFile(json, JSON.stringify({ rules: [{ when: { input: 'hi' }, respond: 'hello' }, FALLBACK] }));
    const loaded = await loadScript(json);
    expect(loaded.rules[0]?.respond).toEqual([{ type: 'text', text: 'hello' }]);

    const mjs = join(dir, 'script.mjs');
    await writeFile(mjs, "export default { rules: [{ respond: 'from js' }] };\n");
    expect(await answer(await loadScript(mjs), request([user('x')]))).toBe('from js');

    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ "rules": [ }');
    await expect(loadScript(broken)).rejects.toThrow(/invalid script .*broken\.json:\n {2}not valid JSON/);

    const invalid = join(dir, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ rules: [{ when: { last: 3 }, respond: 'x' }] }));
    await expect(loadScript(invalid)).rejects.toThrow(/rules\[0\]\.when\.last/);
  });

  it('creates the scripted provider from the registry with a script path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'interplay-script-'));
    const json = join(dir, 'script.json');
    await writeFile(json, JSON.stringify({ rules: [{ respond: 'registry' }] }));
    const registry = createProviderRegistry();
    expect(registry.names()).toEqual(['scripted', 'openai', 'gemini', 'anthropic']);
    const provider = await registry.create('scripted', { script: json, models: ['m'] });
    expect(provider.supportsModel?.('m')).toBe(true);
    const out: ProviderEvent[] = [];
    for await (const e of provider.generate(request([user('x')]), new AbortController().signal)) out.push(e);
    expect(textOf(out)).toBe('registry');
    await expect(registry.create('nope')).rejects.toThrow(
      /unknown provider 'nope' \(known: scripted, openai, gemini, anthropic\)/,
    );
  });
});

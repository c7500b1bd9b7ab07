import { getEventListeners } from 'node:events';
import type { Item, Tool } from '@interplay/protocol';
import { InteractionsError } from '@interplay/protocol';
import { describe, expect, it } from 'vitest';
import type { ProviderEvent, ProviderRequest } from '../src/providers/provider.ts';
import { readConversation } from '../src/providers/scripted/conversation.ts';
import { matchWhen } from '../src/providers/scripted/match.ts';
import { createScriptedProvider } from '../src/providers/scripted/provider.ts';
import type { ScriptInput } from '../src/providers/scripted/script.ts';
import { hasPlaceholders } from '../src/providers/scripted/template.ts';
import { countItemTokens, countTokens } from '../src/providers/scripted/tokens.ts';

const user = (text: string, ...parts: Record<string, unknown>[]): Item => ({
  type: 'user_input',
  content: [{ type: 'text', text }, ...parts] as never,
});
const model = (text: string): Item => ({ type: 'model_output', content: [{ type: 'text', text }] });

function request(items: Item[], extra: Partial<ProviderRequest> = {}): ProviderRequest {
  return { interactionId: 'int_test', model: 'scripted-model', items, ...extra };
}

async function events(script: ScriptInput, req: ProviderRequest, signal = new AbortController().signal) {
  const out: ProviderEvent[] = [];
  for await (const e of createScriptedProvider({ script }).generate(req, signal)) out.push(e);
  return out;
}

const textOf = (evs: ProviderEvent[]) => evs.map((e) => (e.type === 'text' ? e.text : '')).join('');
const itemsOf = (evs: ProviderEvent[]) => evs.flatMap((e) => (e.type === 'item' ? [e.item] : []));

async function answer(script: ScriptInput, req: ProviderRequest): Promise<string> {
  return textOf(await events(script, req));
}

const FALLBACK = { respond: 'fallback' };

describe('scripted provider: matching', () => {
  it("runs the SPEC's example script without re-calling the tool after its result", async () => {
    const spec = {
      rules: [
        {
          when: { input: 'weather', tools: ['get_weather'] },
          respond: [{ type: 'function_call', name: 'get_weather', arguments: { location: 'Paris' } }],
        },
        { when: { last: 'function_result' }, respond: 'Here is what I found: {{last.result}}' },
        { respond: 'I have no scripted answer for: {{input}}' },
      ],
    };
    const tools: Tool[] = [{ type: 'function', name: 'get_weather' }];
    const first = await events(spec, request([user('What is the weather in Paris?')], { tools }));
    expect(itemsOf(first)).toMatchObject([{ type: 'function_call', name: 'get_weather' }]);
    const call = itemsOf(first)[0] as Item & { id: string };
    const after = request(
      [
        user('What is the weather in Paris?'),
        call,
        { type: 'function_result', call_id: call.id, name: 'get_weather', result: 'sunny' },
      ],
      { tools },
    );
    expect(await answer(spec, after)).toBe('Here is what I found: sunny');
  });

  it('matches `when.input` case-insensitively and tries rules in order', async () => {
    const script = {
      rules: [
        { when: { input: 'hello' }, respond: 'first' },
        { when: { input: 'hel' }, respond: 'second' },
        FALLBACK,
      ],
    };
    expect(await answer(script, request([user('Well HELLO there')]))).toBe('first');
    expect(await answer(script, request([user('help')]))).toBe('second');
    expect(await answer(script, request([user('bye')]))).toBe('fallback');
  });

  it('matches `when.input` against the latest user input only', async () => {
    const script = { rules: [{ when: { input: 'weather' }, respond: 'weather' }, FALLBACK] };
    const items = [user('what is the weather?'), model('sunny'), user('thanks')];
    expect(await answer(script, request(items))).toBe('fallback');
  });

  it('requires every `when.tools` name: function names, built-in types, MCP server names', async () => {
    const script = {
      rules: [
        { when: { tools: ['get_weather', 'google_search', 'weather_service'] }, respond: 'all' },
        { when: { tools: ['get_weather'] }, respond: 'function' },
        FALLBACK,
      ],
    };
    const fn: Tool = { type: 'function', name: 'get_weather' };
    const all: Tool[] = [
      fn,
      { type: 'google_search' },
      { type: 'mcp_server', name: 'weather_service', url: 'http://x' },
    ];
    expect(await answer(script, request([user('hi')], { tools: all }))).toBe('all');
    expect(await answer(script, request([user('hi')], { tools: [fn] }))).toBe('function');
    expect(
      await answer(script, request([user('hi')], { tools: [{ type: 'function', name: 'other' }] })),
    ).toBe('fallback');
  });

  it('matches `when.last` against the latest item type, one or several', async () => {
    const script = {
      rules: [
        { when: { last: 'function_result' }, respond: 'result' },
        { when: { last: ['code_execution_result', 'url_context_result'] }, respond: 'server result' },
        FALLBACK,
      ],
    };
    const call: Item = { type: 'function_call', id: 'c1', name: 'f', arguments: {} };
    const result: Item = { type: 'function_result', call_id: 'c1', result: 'ok' };
    expect(await answer(script, request([user('x'), call, result]))).toBe('result');
    expect(
      await answer(
        script,
        request([user('x'), { type: 'code_execution_result', call_id: 'c', result: '1' }]),
      ),
    ).toBe('server result');
    expect(await answer(script, request([user('x')]))).toBe('fallback');
  });

  it('matches `when.history` over earlier turns only, with captures; the latest mention wins', async () => {
    const script = {
      rules: [
        { when: { input: 'my name\\?', history: 'my name is (?<name>\\w+)' }, respond: 'You are {{name}}.' },
        FALLBACK,
      ],
    };
    const items = [
      user('Hi, my name is Ann.'),
      model('Hello Ann'),
      user('Actually my name is Bo.'),
      model('ok'),
      user('my name?'),
    ];
    expect(await answer(script, request(items))).toBe('You are Bo.');
    // The current input is not history.
    expect(await answer(script, request([user('my name is Cy, my name?')]))).toBe('fallback');
  });

  it('matches `when.has` against the content types of the latest user input', async () => {
    const script = {
      rules: [
        { when: { has: ['image', 'audio'] }, respond: 'both' },
        { when: { has: 'image' }, respond: 'image' },
        FALLBACK,
      ],
    };
    const image = { type: 'image', uri: 'https://x/cat.png', mime_type: 'image/png' };
    const audio = { type: 'audio', uri: 'https://x/a.wav' };
    expect(await answer(script, request([user('describe', image, audio)]))).toBe('both');
    expect(await answer(script, request([user('describe', image)]))).toBe('image');
    expect(await answer(script, request([user('describe', image), model('a cat'), user('more')]))).toBe(
      'fallback',
    );
  });

  it('matches `when.schema` on whether the request asks for JSON', async () => {
    const script = {
      rules: [
        { when: { schema: true }, respond: [{ type: 'json' as const }] },
        { when: { schema: false }, respond: 'plain' },
      ],
    };
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    expect(JSON.parse(await answer(script, request([user('x')], { output_format: { schema } })))).toEqual({
      ok: false,
    });
    expect(await answer(script, request([user('x')]))).toBe('plain');
  });

  it('fails with api_error when no rule matches, and with the rule’s error when it says so', async () => {
    const noMatch = { rules: [{ when: { input: 'never' }, respond: 'x' }] };
    await expect(events(noMatch, request([user('hello')]))).rejects.toMatchObject({ code: 'api_error' });
    const failing = { rules: [{ error: { code: 'rate_limit_exceeded', message: 'slow down, {{input}}' } }] };
    const error = await events(failing, request([user('Ann')])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InteractionsError);
    expect(error).toMatchObject({ code: 'rate_limit_exceeded', message: 'slow down, Ann' });
  });
});

describe('scripted provider: substitutions', () => {
  it('substitutes {{input}} and named captures, recursively inside function_call arguments', async () => {
    const script = {
      rules: [
        {
          when: { input: 'meet (?<who>\\w+) and (?<other>\\w+) on (?<day>\\w+)' },
          respond: [
            {
              type: 'function_call' as const,
              name: 'schedule',
              arguments: {
                attendees: ['{{who}}', '{{other}}'],
                when: { day: '{{day}}' },
                note: 'asked: {{input}}',
                n: 3,
              },
            },
          ],
        },
      ],
    };
    const [call] = itemsOf(await events(script, request([user('Please meet Peter and Amir on Monday')])));
    expect(call).toMatchObject({
      type: 'function_call',
      name: 'schedule',
      arguments: {
        attendees: ['Peter', 'Amir'],
        when: { day: 'Monday' },
        note: 'asked: Please meet Peter and Amir on Monday',
        n: 3,
      },
    });
  });

  it('substitutes {{last.result}} (JSON when not a string), {{last.name}} (from the call when absent), paths', async () => {
    const script = {
      rules: [{ respond: '{{last.name}} said {{last.result}} / {{last.result.temp}} / {{unknown}}' }],
    };
    const call: Item = { type: 'function_call', id: 'c9', name: 'get_weather', arguments: {} };
    const objectResult: Item = { type: 'function_result', call_id: 'c9', result: { temp: 21 } };
    expect(await answer(script, request([user('x'), call, objectResult]))).toBe(
      'get_weather said {"temp":21} / 21 / {{unknown}}',
    );
    const stringResult: Item = { type: 'function_result', call_id: 'c9', name: 'named', result: 'sunny' };
    expect(await answer(script, request([user('x'), call, stringResult]))).toBe(
      'named said sunny /  / {{unknown}}',
    );
  });

  it('joins a result made of text parts', async () => {
    const script = { rules: [{ respond: 'got {{last.result}}' }] };
    const result: Item = {
      type: 'function_result',
      call_id: 'c',
      result: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ],
    };
    expect(await answer(script, request([user('x'), result]))).toBe('got ab');
  });
});

describe('scripted provider: rules without placeholders', () => {
  it('hasPlaceholders finds {{…}} at any depth and nothing else', () => {
    expect(hasPlaceholders([{ type: 'text', text: 'plain {braces} and {{ not closed' }])).toBe(false);
    expect(hasPlaceholders({ arguments: { deep: ['x', '{{ last.result }}'] } })).toBe(true);
    expect(hasPlaceholders(undefined)).toBe(false);
  });

  it('answer every turn alike from their own frozen copy, never from (or into) the caller’s objects', async () => {
    const args = { city: 'Paris', tags: ['a'] };
    const script = {
      rules: [{ respond: [{ type: 'function_call' as const, name: 'f', arguments: args }] }],
    };
    const provider = createScriptedProvider({ script });
    const turn = async () => {
      const out: ProviderEvent[] = [];
      for await (const e of provider.generate(request([user('hi')]), new AbortController().signal))
        out.push(e);
      return itemsOf(out)[0] as Item & { id: string; arguments: { city: string; tags: string[] } };
    };
    const [first, second] = [await turn(), await turn()];
    expect(first.arguments).toEqual(args);
    expect(second.arguments).toEqual(args);
    expect(first.id).not.toBe(second.id);
    // What a turn hands on cannot be changed under the next turn's feet …
    expect(() => {
      first.arguments.tags.push('b');
    }).toThrow(TypeError);
    // … and the caller's script object is neither shared nor frozen.
    expect(first.arguments).not.toBe(args);
    args.tags.push('mine');
    expect((await turn()).arguments.tags).toEqual(['a']);
  });
});

describe('scripted provider: responses', () => {
  it('streams text in word-sized deltas that concatenate to the text', async () => {
    const text = 'Why do programmers prefer dark mode?\nBecause light attracts bugs.';
    const evs = await events({ rules: [{ respond: text }] }, request([user('joke')]));
    const deltas = evs.filter((e) => e.type === 'text');
    expect(deltas.map((d) => (d.type === 'text' ? d.text : ''))).toEqual([
      'Why ',
      'do ',
      'programmers ',
      'prefer ',
      'dark ',
      'mode?\n',
      'Because ',
      'light ',
      'attracts ',
      'bugs.',
    ]);
    expect(textOf(evs)).toBe(text);
  });

  it('emits thoughts with signature and summary, media, and calls with generated ids', async () => {
    const script = {
      rules: [
        {
          respond: [
            { type: 'thought' as const, summary: 'thinking hard' },
            { type: 'thought' as const, summary: 'again', signature: 'sig-given' },
            { type: 'image' as const },
            { type: 'audio' as const, uri: 'https://x/a.wav', mime_type: 'audio/wav' },
            { type: 'function_call' as const, name: 'f' },
            { type: 'function_call' as const, name: 'f', id: 'mine' },
            { type: 'code_execution_call' as const, arguments: { language: 'python', code: 'print(1)' } },
            { type: 'mcp_server_tool_call' as const, name: 'get', server_name: 'srv', arguments: { a: 1 } },
          ],
        },
      ],
    };
    const evs = await events(script, request([user('x')]));
    const thoughts = evs.filter((e) => e.type === 'thought');
    expect(thoughts[0]).toMatchObject({ summary: [{ type: 'text', text: 'thinking hard' }] });
    expect(thoughts[0]?.type === 'thought' && thoughts[0].signature).toMatch(/^[A-Za-z0-9+/=]{8,}$/);
    expect(thoughts[1]).toMatchObject({ signature: 'sig-given' });
    const media = evs.filter((e) => e.type === 'media');
    expect(media[0]).toMatchObject({ content: { type: 'image', mime_type: 'image/png' } });
    expect(
      Buffer.from((media[0] as { content: { data: string } }).content.data, 'base64')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(media[1]).toEqual({
      type: 'media',
      content: { type: 'audio', uri: 'https://x/a.wav', mime_type: 'audio/wav' },
    });
    const [generated, given, code, mcp] = itemsOf(evs);
    expect(generated).toMatchObject({ type: 'function_call', name: 'f', arguments: {} });
    expect(typeof generated?.id === 'string' && generated.id.length > 5).toBe(true);
    expect(given?.id).toBe('mine');
    expect(code).toMatchObject({ type: 'code_execution_call', arguments: { code: 'print(1)' } });
    expect(typeof code?.id).toBe('string');
    expect(mcp).toMatchObject({
      type: 'mcp_server_tool_call',
      name: 'get',
      server_name: 'srv',
      arguments: { a: 1 },
    });
    expect(new Set([generated?.id, code?.id, mcp?.id]).size).toBe(3);
  });

  it('reports deterministic word-count usage', async () => {
    const evs = await events(
      {
        rules: [
          {
            respond: [
              { type: 'thought' as const, summary: 'two words' },
              { type: 'text' as const, text: 'four words right here' },
            ],
          },
        ],
      },
      request([model('one'), user('two three')], { system_instruction: 'be nice' }),
    );
    const usage = evs.find((e) => e.type === 'usage');
    expect(usage).toEqual({
      type: 'usage',
      usage: { total_input_tokens: 5, total_output_tokens: 4, total_thought_tokens: 2, total_tokens: 11 },
    });
  });

  it('stops when the signal aborts between deltas', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const provider = createScriptedProvider({
      script: { delay_ms: 5, rules: [{ respond: 'a b c d e f g h' }] },
    });
    const run = (async () => {
      for await (const e of provider.generate(request([user('x')]), controller.signal)) {
        if (e.type === 'text') seen.push(e.text);
        if (seen.length === 2) controller.abort();
      }
    })();
    await expect(run).rejects.toThrow();
    expect(seen).toEqual(['a ', 'b ']);
  });

  it('ends a pause at once when the signal aborts during it, and leaves no listener on the signal', async () => {
    const controller = new AbortController();
    const provider = createScriptedProvider({
      script: { delay_ms: 600_000, rules: [{ respond: 'a b c' }] },
    });
    const answer = provider.generate(request([user('x')]), controller.signal) as AsyncIterable<ProviderEvent>;
    const it = answer[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({ type: 'text', text: 'a ' });
    const paused = it.next(); // waits in the ten-minute pause
    controller.abort(new DOMException('cancelled', 'AbortError'));
    await expect(paused).rejects.toThrow('cancelled');
    // Another signal through a whole answer: its listener is gone once the answer is.
    const other = new AbortController();
    const seen: string[] = [];
    const quick = createScriptedProvider({ script: { delay_ms: 1, rules: [{ respond: 'a b' }] } });
    for await (const e of quick.generate(request([user('x')]), other.signal))
      if (e.type === 'text') seen.push(e.text);
    expect(seen).toEqual(['a ', 'b']);
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
  });

  it('serves only the configured models', () => {
    const provider = createScriptedProvider({ models: ['scripted-1'] });
    expect(provider.supportsModel?.('scripted-1')).toBe(true);
    expect(provider.supportsModel?.('gemini-3-flash-preview')).toBe(false);
    expect(createScriptedProvider().supportsModel).toBeUndefined();
  });
});

describe('scripted provider: cost of long conversations', () => {
  /** An item of one text that counts how often its content is read. */
  function watchedItem(type: 'user_input' | 'model_output', text: string) {
    let reads = 0;
    const item = {
      type,
      get content() {
        reads += 1;
        return [{ type: 'text', text }];
      },
    } as unknown as Item;
    return { item, reads: () => reads };
  }

  it('builds the history text only when a rule reads it, once per call', () => {
    const watched = watchedItem('user_input', 'my name is Bob');
    const convo = readConversation(request([watched.item, model('Hi Bob'), user('what is my name?')]));
    expect(convo.input).toBe('what is my name?');
    expect(watched.reads()).toBe(0);
    expect(convo.history).toBe('my name is Bob\nHi Bob');
    const once = watched.reads();
    expect(once).toBeGreaterThan(0);
    expect(convo.history).toBe('my name is Bob\nHi Bob');
    expect(watched.reads()).toBe(once);
  });

  it('checks when.input before building the history', () => {
    const watched = watchedItem('model_output', 'earlier');
    const convo = readConversation(request([user('a'), watched.item, user('b')]));
    expect(matchWhen({ input: '^never$', history: 'earlier' }, convo)).toBeUndefined();
    expect(watched.reads()).toBe(0);
    expect(matchWhen({ input: '^(?<x>b)$', history: '(?<x>earl)ier' }, convo)).toEqual({ x: 'b' });
    expect(watched.reads()).toBeGreaterThan(0);
  });

  it('counts the words of a string as /\\S+/g finds them, whatever the whitespace', () => {
    const alphabet = [
      'a',
      '~',
      '!',
      '\u001f',
      '\u007f',
      '\u0000',
      'é',
      '😀',
      '-',
      '\t',
      '\n',
      '\v',
      '\f',
      '\r',
      ' ',
      '\u00a0',
      '\u1680',
      '\u2000',
      '\u2005',
      '\u200a',
      '\u200b',
      '\u2028',
      '\u2029',
      '\u202f',
      '\u205f',
      '\u3000',
      '\ufeff',
      '\u0085',
      '\u180e',
    ];
    const random = lehmer(11);
    for (let n = 0; n < 3_000; n++) {
      const length = Math.floor(random() * 12);
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      expect(countTokens(text), JSON.stringify(text)).toBe(text.match(/\S+/g)?.length ?? 0);
    }
    // Keys are skipped by name wherever they are; only own fields count.
    const inherited = Object.create({ text: 'not counted' }) as Record<string, unknown>;
    inherited.text = 'two words';
    expect(countTokens({ type: 'text words', id: 'x y', nested: [inherited, 3, true] })).toBe(4);
    // An enumerable field of the prototype is not the object's own; every skipped key, only those.
    const derived = Object.create({ extra: 'three more words' }) as Record<string, unknown>;
    derived.own = 'one';
    expect(countTokens(derived)).toBe(1);
    const skipped = { type: 'a', id: 'a', call_id: 'a', signature: 'a', mime_type: 'a', data: 'a', uri: 'a' };
    expect(countTokens({ ...skipped, name: 'counted', Type: 'counted too' })).toBe(3);
  });

  it('counts input tokens of a conversation as countTokens does, however arrays share items', () => {
    const random = lehmer(7);
    const pool = Array.from({ length: 40 }, (_, i) => user(`w${i} `.repeat(1 + (i % 4)).trim()));
    const pick = () => pool[Math.floor(random() * pool.length)] as Item;
    let chain: Item[] = [];
    const seen: Item[][] = [];
    for (let n = 0; n < 2_000; n++) {
      const p = random();
      let items: Item[];
      if (p < 0.4) {
        // a chain growing turn by turn
        chain = [...chain, pick()];
        items = chain;
      } else if (p < 0.7 && seen.length > 0) {
        // a branch: a prefix of an earlier conversation, then something new
        const base = seen[Math.floor(random() * seen.length)] as Item[];
        items = [...base.slice(0, Math.floor(random() * (base.length + 1))), pick()];
      } else if (p < 0.8 && seen.length > 0) {
        // an earlier conversation read again (a history from the store: equal items, new objects), then more
        const base = seen[Math.floor(random() * seen.length)] as Item[];
        items = [...structuredClone(base), pick()];
      } else {
        items = Array.from({ length: Math.floor(random() * 8) }, pick);
      }
      seen.push(items);
      expect(countItemTokens(items)).toBe(countTokens(items));
    }
  });
});

/** A seeded Lehmer generator in [0, 1): property tests that replay. */
function lehmer(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return state / 2_147_483_647;
  };
}

/**
 * Guardrails over the REAL Interactions server (127.0.0.1, scripted model): input guardrails run next to
 * the first model call and stop the run before any tool runs; output guardrails check the final answer;
 * tool guardrails check a call's arguments and result. Each trip ends the run with a typed error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  type Guardrail,
  InputGuardrailTripwireTriggered,
  OutputGuardrailTripwireTriggered,
  type RunEvent,
  Runner,
  ToolGuardrailTripwireTriggered,
  tool,
} from '../src/index.ts';
import { clientAt, MODEL } from './agents/fixtures.ts';
import { type ScriptedServer, startScriptedServer } from './agents/server.ts';

const RULES = [
  {
    name: 'weather',
    when: { input: 'weather in (?<city>\\w+)', tools: ['get_weather'], last: 'user_input' },
    respond: [{ type: 'function_call', name: 'get_weather', arguments: { location: '{{city}}' } }],
  },
  {
    name: 'report',
    when: { tools: ['get_weather'], last: 'function_result' },
    respond: 'Report: {{last.result}}',
  },
  {
    name: 'structured',
    when: { schema: true },
    respond: [{ type: 'json', value: { city: 'Paris', tempC: 40 } }],
  },
  { name: 'fallback', respond: 'Hello {{input}}' },
];

let srv: ScriptedServer;
beforeAll(async () => {
  srv = await startScriptedServer(RULES);
});
afterAll(async () => {
  await srv?.close();
});

function weatherTool(ran: string[]) {
  return tool({
    name: 'get_weather',
    description: 'Gets the weather.',
    parameters: z.object({ location: z.string() }),
    execute: ({ location }) => {
      ran.push(location);
      return `sunny in ${location}`;
    },
  });
}

const runner = () => new Runner({ client: clientAt(srv.url), model: MODEL });

describe('input guardrails', () => {
  it('trip after the model asked for a tool, and the tool never runs', async () => {
    const ran: string[] = [];
    let modelAnswered!: () => void;
    const answered = new Promise<void>((resolve) => {
      modelAnswered = resolve;
    });
    // Decides only once the model's call is in: the tool must still wait for the verdict.
    const noWeather: Guardrail<string> = {
      name: 'no_weather_talk',
      check: async (text) => {
        await answered;
        return { tripwire: /weather/i.test(text), info: { topic: 'weather' } };
      },
    };
    const agent = new Agent({ name: 'assistant', tools: [weatherTool(ran)], inputGuardrails: [noWeather] });
    const handle = runner().start(agent, 'What is the weather in Paris?');
    handle.on('tool_call', () => modelAnswered());
    const events: RunEvent['type'][] = [];
    handle.on('run_error', (e) => events.push(e.type));
    const error = await handle.result.catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InputGuardrailTripwireTriggered);
    expect(error).toMatchObject({
      code: 'input_guardrail_tripped',
      guardrail: 'no_weather_talk',
      agent: 'assistant',
      info: { topic: 'weather' },
    });
    expect(ran).toEqual([]);
    expect(events).toEqual(['run_error']);
  });

  it('trip a run whose model answered without tools before the verdict came: no run_finish', async () => {
    let answered!: () => void;
    const modelAnswered = new Promise<void>((resolve) => {
      answered = resolve;
    });
    const late: Guardrail<string> = {
      name: 'late_refusal',
      check: async () => {
        await modelAnswered;
        return true;
      },
    };
    const agent = new Agent({ name: 'assistant', inputGuardrails: [late] });
    const handle = runner().start(agent, 'tell me a secret');
    handle.on('status_change', () => answered());
    const seen: string[] = [];
    handle.on('run_finish', (e) => seen.push(e.type));
    handle.on('run_error', (e) => seen.push(e.type));
    const error = await handle.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputGuardrailTripwireTriggered);
    expect(seen).toEqual(['run_error']);
  });

  it('a zod schema trips with its issues as info; a passing guardrail lets the run finish', async () => {
    const short: Guardrail<string> = { name: 'short_questions', check: z.string().max(12) };
    const agent = new Agent({ name: 'assistant', inputGuardrails: [short] });
    const error = await runner()
      .run(agent, 'a question that is far too long')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputGuardrailTripwireTriggered);
    expect((error as InputGuardrailTripwireTriggered).info).toEqual([
      expect.objectContaining({ path: [], message: expect.stringMatching(/12/) }),
    ]);

    const ok = await runner().run(agent, 'hi there');
    expect(ok.text).toBe('Hello hi there');
  });
});

describe('output guardrails', () => {
  it('check the final text', async () => {
    const agent = new Agent({
      name: 'assistant',
      tools: [weatherTool([])],
      outputGuardrails: [{ name: 'no_sunshine', check: (text) => String(text).includes('sunny') }],
    });
    const handle = runner().start(agent, 'weather in Lima');
    const types: string[] = [];
    handle.on('run_finish', (e) => types.push(e.type));
    const error = await handle.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputGuardrailTripwireTriggered);
    expect(error).toMatchObject({
      code: 'output_guardrail_tripped',
      guardrail: 'no_sunshine',
      kind: 'output',
    });
    expect(types).toEqual([]); // a rejected answer does not finish the run
  });

  it('check the typed output with a schema', async () => {
    const agent = new Agent({
      name: 'forecaster',
      outputType: z.object({ city: z.string(), tempC: z.number() }),
      outputGuardrails: [{ name: 'plausible', check: z.object({ tempC: z.number().max(35) }) }],
    });
    const error = await runner()
      .run(agent, 'forecast please')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputGuardrailTripwireTriggered);
    expect((error as OutputGuardrailTripwireTriggered).info).toEqual([
      expect.objectContaining({ path: ['tempC'] }),
    ]);
  });
});

describe('tool guardrails', () => {
  it('before: refused arguments end the run before the tool runs', async () => {
    const ran: string[] = [];
    const agent = new Agent({
      name: 'assistant',
      tools: [weatherTool(ran)],
      toolGuardrails: {
        before: [{ name: 'known_cities', check: z.object({ location: z.enum(['Paris', 'Rome']) }) }],
      },
    });
    const error = await runner()
      .run(agent, 'weather in Atlantis')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolGuardrailTripwireTriggered);
    expect(error).toMatchObject({
      code: 'tool_guardrail_tripped',
      kind: 'tool_input',
      guardrail: 'known_cities',
      toolName: 'get_weather',
    });
    expect(ran).toEqual([]);
  });

  it('after: a refused result never reaches the model', async () => {
    const ran: string[] = [];
    const agent = new Agent({
      name: 'assistant',
      tools: [weatherTool(ran)],
      toolGuardrails: {
        after: [
          {
            name: 'no_sunshine',
            check: (value) => ({ tripwire: String(value).includes('sunny'), info: value }),
          },
        ],
      },
    });
    const handle = runner().start(agent, 'weather in Paris');
    const results: unknown[] = [];
    handle.on('tool_result', (e) => results.push(e.result));
    const error = await handle.result.catch((e: unknown) => e);
    expect(ran).toEqual(['Paris']);
    expect(error).toMatchObject({ kind: 'tool_output', info: 'sunny in Paris' });
    expect(results).toEqual([]);
  });

  it('passing guardrails leave the run alone', async () => {
    const agent = new Agent({
      name: 'assistant',
      tools: [weatherTool([])],
      toolGuardrails: {
        before: [{ name: 'any', check: () => false }],
        after: [{ name: 'any', check: () => false }],
      },
    });
    const result = await runner().run(agent, 'weather in Rome');
    expect(result.text).toBe('Report: sunny in Rome');
  });
});

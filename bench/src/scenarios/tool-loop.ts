/**
 * Tool-loop overhead: the same function_call → function_result loop through (a) a hand-written raw-undici
 * loop, (b) the official @google/genai SDK with a hand-written loop, (c) Interplay's Runner, (d) the Vercel AI
 * SDK's `generateText` on `@ai-sdk/google`'s Interactions provider (lib/aisdk-loop.ts), against the same
 * server and script, in interleaved rounds (warm-up rounds discarded), each variant in a process of its own
 * (lib/loop-child.ts) so that none is charged for another's garbage collection.
 *
 * One round = an opening POST (the user input) answered with a `noop` call, then STEPS steps. A step is what
 * the loop repeats: run the tool (it returns at once), POST its function_result with
 * `previous_interaction_id`, receive and parse the next function_call. Each step is timed from "response in
 * hand" to the next "response in hand", so the figure is one full cycle of orchestration + one server round
 * trip; the server's share is the same for all three.
 */
import { randomInt } from 'node:crypto';
import { GoogleGenAI } from '@google/genai';
import { InteractionsClient } from '@interplay/client';
import { Runner, tool } from '@interplay/core';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { aiSdkLoop } from '../lib/aisdk-loop.ts';
import { type Child, spawnChild } from '../lib/child.ts';
import { LOOP_PROMPT, LOOP_TOOL, MODEL } from '../lib/scripts.ts';
import { TAG_HEADER } from '../lib/server-types.ts';
import { type BenchServer, startInterplay, useInterplay } from '../lib/servers.ts';
import { fmt, mean, median, p95, ratio, shuffledPermutation } from '../lib/stats.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

export const STEPS = 10;

const DECLARATION = {
  type: 'function' as const,
  name: LOOP_TOOL,
  description: 'Does nothing and returns at once.',
  parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
};

/** The tool itself: nothing to do. */
const noop = (_args: unknown): string => 'ok';

interface StepCall {
  id: string;
  name: string;
  arguments: unknown;
}

interface RoundResult {
  /** `performance.now()` each time a model response was in hand (STEPS + 1 marks). */
  marks: number[];
  toolRuns: number;
  lastInteractionId: string;
}

type Loop = () => Promise<RoundResult>;

function functionCallOf(steps: unknown): StepCall {
  const call = (steps as { type: string }[] | undefined)?.find((s) => s.type === 'function_call');
  if (!call) throw new Error(`expected a function_call, got ${JSON.stringify(steps)}`);
  return call as unknown as StepCall;
}

/** (a) raw undici: JSON in, JSON out, nothing else. */
export function rawLoop(url: string, tag: string): { loop: Loop; close: () => Promise<void> } {
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  const endpoint = `${url}/v1beta/interactions`;
  const headers = { 'content-type': 'application/json', [TAG_HEADER]: tag };
  const loop: Loop = async () => {
    const marks: number[] = [];
    let toolRuns = 0;
    let body: Record<string, unknown> = { model: MODEL, input: LOOP_PROMPT, tools: [DECLARATION] };
    let id = '';
    for (let i = 0; ; i++) {
      const res = await request(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        dispatcher,
      });
      const json = (await res.body.json()) as { id: string; steps: unknown };
      if (res.statusCode !== 200) throw new Error(`raw loop: HTTP ${res.statusCode} ${JSON.stringify(json)}`);
      marks.push(performance.now());
      id = json.id;
      if (i === STEPS) break;
      const call = functionCallOf(json.steps);
      const result = noop(call.arguments);
      toolRuns++;
      body = {
        model: MODEL,
        tools: [DECLARATION],
        previous_interaction_id: json.id,
        input: [{ type: 'function_result', call_id: call.id, name: call.name, result }],
      };
    }
    return { marks, toolRuns, lastInteractionId: id };
  };
  return { loop, close: () => dispatcher.close() };
}

/** (b) the official SDK, with the loop written by hand as its docs show. */
export function sdkLoop(url: string, tag: string): { loop: Loop; close: () => Promise<void> } {
  const ai = new GoogleGenAI({
    apiKey: 'bench',
    httpOptions: { baseUrl: url, apiVersion: 'v1beta', headers: { [TAG_HEADER]: tag } },
  });
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's request union is wide; the body is the same JSON as (a).
  const create = (body: any) => ai.interactions.create(body) as Promise<{ id?: string; steps?: unknown }>;
  const loop: Loop = async () => {
    const marks: number[] = [];
    let toolRuns = 0;
    let body: Record<string, unknown> = { model: MODEL, input: LOOP_PROMPT, tools: [DECLARATION] };
    let id = '';
    for (let i = 0; ; i++) {
      const interaction = await create(body);
      marks.push(performance.now());
      id = interaction.id as string;
      if (i === STEPS) break;
      const call = functionCallOf(interaction.steps);
      const result = noop(call.arguments);
      toolRuns++;
      body = {
        model: MODEL,
        tools: [DECLARATION],
        previous_interaction_id: id,
        input: [{ type: 'function_result', call_id: call.id, name: call.name, result }],
      };
    }
    return { marks, toolRuns, lastInteractionId: id };
  };
  return { loop, close: async () => {} };
}

/** (c) Interplay: a Runner with a typed tool; `maxSteps` counts model calls (the opening one included). */
export function runnerLoop(url: string, tag: string): { loop: Loop; close: () => Promise<void> } {
  const client = new InteractionsClient({
    baseUrl: url,
    apiVersion: 'v1beta',
    apiKey: 'bench',
    headers: { [TAG_HEADER]: tag },
  });
  let toolRuns = 0;
  const noopTool = tool({
    name: LOOP_TOOL,
    description: DECLARATION.description,
    parameters: z.object({ q: z.string() }),
    execute: (args) => {
      toolRuns++;
      return noop(args);
    },
  });
  const runner = new Runner({ client, model: MODEL, tools: [noopTool], maxSteps: STEPS + 1 });
  const loop: Loop = async () => {
    const marks: number[] = [];
    toolRuns = 0;
    const run = runner.start(LOOP_PROMPT);
    // Emitted as soon as each (non-stream) model call returned: the "response in hand" mark.
    run.on('status_change', () => marks.push(performance.now()));
    const result = await run.result;
    if (result.finishReason !== 'max_steps') throw new Error(`runner loop ended ${result.finishReason}`);
    // The Runner also ran the last call's tool before stopping; that is after the last mark.
    return { marks, toolRuns: toolRuns - 1, lastInteractionId: result.lastInteractionId as string };
  };
  return { loop, close: async () => {} };
}

function stepTimes(marks: number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < marks.length; i++) out.push((marks[i] as number) - (marks[i - 1] as number));
  return out;
}

const VARIANTS = ['raw', 'sdk', 'runner', 'aisdk'] as const;
type Variant = (typeof VARIANTS)[number];
export type LoopVariant = Variant;

/** The loop of a variant (run by lib/loop-child.ts, one process per variant). */
export function loopFor(variant: Variant): typeof rawLoop {
  return {
    raw: rawLoop,
    sdk: sdkLoop,
    runner: runnerLoop,
    aisdk: (url: string, tag: string) => aiSdkLoop(url, tag, STEPS),
  }[variant];
}

const LOOP_CHILD = new URL('../lib/loop-child.ts', import.meta.url);

export interface LoopMeasurement {
  samples: Record<Variant, number[]>;
  /** Client process CPU per model call (µs). */
  cpuPerCall: Record<Variant, number>;
  /** Server process CPU per model call (µs), measured around each variant's rounds. */
  serverCpuPerCall: Record<Variant, number>;
  evidence: Record<string, unknown>;
}

const perVariant = <T>(make: () => T): Record<Variant, T> =>
  Object.fromEntries(VARIANTS.map((v) => [v, make()])) as Record<Variant, T>;

export async function measureToolLoop(
  server: BenchServer,
  { warmup, rounds }: { warmup: number; rounds: number },
): Promise<LoopMeasurement> {
  // Each variant tags its requests, so the server counts its POSTs apart from everyone else's.
  const tag = (v: Variant) => `tool-loop:${v}:${process.pid}`;
  // One process per variant (see lib/loop-child.ts); rounds still alternate between them in time.
  const entries = await Promise.all(
    VARIANTS.map(
      async (v) =>
        [
          v,
          await spawnChild<{ pid: number }>(LOOP_CHILD, { url: server.url, variant: v, tag: tag(v) }),
        ] as const,
    ),
  );
  const loops = Object.fromEntries(entries) as Record<Variant, Child<{ pid: number }>>;
  const samples = perVariant<number[]>(() => []);
  // Each variant's process CPU time (user + system, µs): the client side alone, immune to the
  // machine's other load stretching wall time. The server's is read around each round.
  const cpu = perVariant(() => 0);
  const serverCpu = perVariant(() => 0);
  // Each measurement draws its own order of the cycles of orderings: SQLite's WAL checkpoint comes after the
  // same work in every run, so with one fixed order it would fall on the same variants in every run too.
  const orderSeed = randomInt(1, 2 ** 31);
  const evidence: Record<string, unknown> = { orderSeed };
  const before = await server.stats();
  try {
    for (let r = 0; r < warmup + rounds; r++) {
      for (const v of shuffledPermutation(VARIANTS, r, orderSeed)) {
        const server0 = (await server.stats()).cpuMicros;
        const round = await loops[v].call<RoundResult & { cpuMicros: number }>('round');
        const server1 = (await server.stats()).cpuMicros;
        if (round.marks.length !== STEPS + 1) throw new Error(`${v}: ${round.marks.length} responses`);
        if (r >= warmup) {
          samples[v].push(...stepTimes(round.marks));
          cpu[v] += round.cpuMicros;
          serverCpu[v] += server1 - server0;
        }
        if (r === warmup + rounds - 1) {
          // Last round of each variant: what the server stored for it.
          const chain = await server.chain(round.lastInteractionId);
          const last = chain.at(-1);
          evidence[v] = {
            toolRunsLastRound: round.toolRuns,
            chainLength: chain.length,
            postsWithFunctionResult: chain.filter((l) => l.input.includes('function_result')).length,
            postsWithUserInput: chain.filter((l) => l.input.includes('user_input')).length,
            chainedPosts: chain.filter((l) => l.previousId !== undefined).length,
            functionResultsInLastPost: last?.input.filter((t) => t === 'function_result').length ?? 0,
            outputs: [...new Set(chain.map((l) => l.output.join('+')))],
          };
        }
      }
    }
    const after = await server.stats();
    for (const v of VARIANTS) {
      const posts = (after.postsByTag[tag(v)] ?? 0) - (before.postsByTag[tag(v)] ?? 0);
      Object.assign(evidence[v] as object, { postsPerRound: posts / (warmup + rounds) });
    }
  } finally {
    await Promise.all(Object.values(loops).map((l) => l.close()));
  }
  const calls = rounds * (STEPS + 1);
  const cpuPerCall = perVariant(() => 0);
  const serverCpuPerCall = perVariant(() => 0);
  for (const v of VARIANTS) {
    cpuPerCall[v] = cpu[v] / calls;
    serverCpuPerCall[v] = serverCpu[v] / calls;
  }
  return { samples, cpuPerCall, serverCpuPerCall, evidence };
}

const LABELS: Record<Variant, string> = {
  raw: '(a) raw undici',
  sdk: '(b) @google/genai',
  runner: '(c) Interplay Runner',
  aisdk: '(d) AI SDK generateText',
};

/** Figures and table rows of one measurement; `prefix` names the server set-up in the figure keys. */
function report(
  prefix: string,
  label: string,
  { samples, cpuPerCall, serverCpuPerCall }: LoopMeasurement,
  figures: Record<string, number>,
  table: string[][],
): void {
  table.push([`**${label}**`, '', '', '', '', '', '']);
  for (const v of VARIANTS) {
    const s = samples[v];
    figures[`${prefix}${v}.median_ms`] = median(s);
    figures[`${prefix}${v}.p95_ms`] = p95(s);
    figures[`${prefix}${v}.mean_ms`] = mean(s);
    figures[`${prefix}${v}.client_cpu_us_per_call`] = cpuPerCall[v];
    figures[`${prefix}${v}.server_cpu_us_per_call`] = serverCpuPerCall[v];
    table.push([
      LABELS[v],
      fmt(median(s)),
      fmt(p95(s)),
      fmt(mean(s)),
      fmt(cpuPerCall[v]),
      fmt(serverCpuPerCall[v]),
      String(s.length),
    ]);
  }
  const f = (k: string) => figures[`${prefix}${k}`] as number;
  const cpu = (v: Variant) => cpuPerCall[v];
  for (const [name, other] of [
    ['c_a', 'raw'],
    ['c_b', 'sdk'],
    ['c_d', 'aisdk'],
  ] as const) {
    figures[`${prefix}ratio.${name}.median`] = ratio(f('runner.median_ms'), f(`${other}.median_ms`));
    figures[`${prefix}ratio.${name}.p95`] = ratio(f('runner.p95_ms'), f(`${other}.p95_ms`));
    figures[`${prefix}ratio.${name}.client_cpu`] = ratio(cpu('runner'), cpu(other));
    table.push([
      `c/${name[2]}`,
      fmt(f(`ratio.${name}.median`)),
      fmt(f(`ratio.${name}.p95`)),
      '',
      fmt(f(`ratio.${name}.client_cpu`)),
      '',
      '',
    ]);
  }
  figures[`${prefix}overhead_c_minus_a.median_ms`] = f('runner.median_ms') - f('raw.median_ms');
  table.push([
    'c − a (ms)',
    fmt(f('overhead_c_minus_a.median_ms')),
    '',
    '',
    fmt(cpu('runner') - cpu('raw')),
    '',
    '',
  ]);
}

/** The scripted model's pause after each answer item: a model that takes this long per call. */
export const SLOW_MODEL_MS = 5;

export const toolLoop: Scenario = {
  name: 'tool-loop',
  title: `Tool-loop overhead (${STEPS} function_call/function_result steps)`,
  async run({ quick, log, interplay: given }: ScenarioOptions): Promise<ScenarioResult> {
    const warmup = quick ? 0 : 15;
    const rounds = quick ? 1 : 120;
    const figures: Record<string, number> = {};
    const table: string[][] = [
      [
        'variant',
        'median ms/step',
        'p95 ms/step',
        'mean ms/step',
        'client CPU µs/call',
        'server CPU µs/call',
        'samples',
      ],
    ];
    let evidence: Record<string, unknown>;
    const server = await useInterplay(given);
    try {
      log(`  ${rounds} measured rounds × ${STEPS} steps per variant, ${warmup} warm-up rounds, interleaved`);
      const measured = await measureToolLoop(server, { warmup, rounds });
      evidence = measured.evidence;
      report('', 'scripted model answering at once (loopback)', measured, figures, table);
    } finally {
      await server.close();
    }
    if (!quick) {
      // The same loop against a model that takes SLOW_MODEL_MS per call: the overhead in proportion.
      const slow = await startInterplay({ delayMs: SLOW_MODEL_MS });
      try {
        log(`  again with a ${SLOW_MODEL_MS} ms model: 30 rounds after 3 warm-up`);
        const measured = await measureToolLoop(slow, { warmup: 3, rounds: 30 });
        report(
          `model${SLOW_MODEL_MS}ms.`,
          `scripted model taking ${SLOW_MODEL_MS} ms per call`,
          measured,
          figures,
          table,
        );
      } finally {
        await slow.close();
      }
    }
    return {
      name: 'tool-loop',
      title: toolLoop.title,
      figures,
      table,
      targets: [
        target(
          'Runner ≤ 1.05× raw undici per step (median)',
          figures['ratio.c_a.median'] as number,
          'max',
          1.05,
          '×',
        ),
        target(
          'Runner faster than the @google/genai hand loop (median)',
          figures['ratio.c_b.median'] as number,
          'below',
          1,
          '×',
        ),
        target(
          'Runner ≤ 0.5× the AI SDK per step (median)',
          figures['ratio.c_d.median'] as number,
          'max',
          0.5,
          '×',
        ),
        target(
          'Runner ≤ 0.5× the AI SDK in client CPU per call',
          figures['ratio.c_d.client_cpu'] as number,
          'max',
          0.5,
          '×',
        ),
      ],
      evidence,
    };
  },
};

/**
 * Parallel tools: the model asks for N tools in one step (N = 50), each takes 100 ms; the Runner runs them
 * with toolConcurrency ≥ N. The tool phase is timed from "model response in hand" (the step's
 * `status_change`) to the step's `step_finish` (every result in, queued for the model): its ideal is 100 ms.
 * A bare `Promise.all` of N 100 ms timers, in the same process and the same rounds, shows the timer floor.
 */
import { InteractionsClient } from '@interplay/client';
import { Runner, tool } from '@interplay/core';
import { z } from 'zod';
import { fanPrompt, fanToolName, MODEL } from '../lib/scripts.ts';
import { useInterplay } from '../lib/servers.ts';
import { fmt, median, p95, sleep } from '../lib/stats.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

export async function measureParallelTools(
  url: string,
  { calls, toolMs, warmup, rounds }: { calls: number; toolMs: number; warmup: number; rounds: number },
): Promise<{ phase: number[]; floor: number[]; run: number[]; evidence: Record<string, unknown> }> {
  let running = 0;
  let peak = 0;
  let started = 0;
  const tools = Array.from({ length: calls }, (_, i) =>
    tool({
      name: fanToolName(i),
      description: `Tool ${i}: waits ${toolMs} ms.`,
      parameters: z.object({ i: z.number() }),
      execute: async ({ i }) => {
        started++;
        running++;
        peak = Math.max(peak, running);
        await sleep(toolMs);
        running--;
        return { i };
      },
    }),
  );
  const client = new InteractionsClient({ baseUrl: url, apiVersion: 'v1beta', apiKey: 'bench' });
  const runner = new Runner({ client, model: MODEL, tools, toolConcurrency: Math.max(50, calls) });
  let responseAt = 0;
  let phaseMs = 0;
  const start = (prompt: string) => {
    const handle = runner.start(prompt);
    handle.on('status_change', (e) => {
      if (e.step === 1) responseAt = performance.now();
    });
    handle.on('step_finish', (e) => {
      if (e.step === 1) phaseMs = performance.now() - responseAt;
    });
    return handle.result;
  };
  const phase: number[] = [];
  const floor: number[] = [];
  const run: number[] = [];
  let evidence: Record<string, unknown> = {};
  for (let r = 0; r < warmup + rounds; r++) {
    started = 0;
    peak = 0;
    const t0 = performance.now();
    const result = await start(fanPrompt(calls));
    const runMs = performance.now() - t0;
    const f0 = performance.now();
    await Promise.all(Array.from({ length: calls }, () => sleep(toolMs)));
    const floorMs = performance.now() - f0;
    if (r < warmup) continue;
    phase.push(phaseMs);
    floor.push(floorMs);
    run.push(runMs);
    if (r === warmup) {
      evidence = {
        finishReason: result.finishReason,
        text: result.text,
        modelCalls: result.steps.length,
        callsInStep1: result.steps[0]?.toolCalls.length,
        resultsInStep1: result.steps[0]?.toolResults.length,
        toolsStarted: started,
        peakConcurrency: peak,
      };
    }
  }
  return { phase, floor, run, evidence };
}

export const parallelTools: Scenario = {
  name: 'parallel-tools',
  title: 'Parallel tools (50 tools × 100 ms in one step, Runner toolConcurrency 50)',
  async run({ quick, log, interplay: given }: ScenarioOptions): Promise<ScenarioResult> {
    const calls = quick ? 3 : 50;
    const toolMs = quick ? 10 : 100;
    const warmup = quick ? 0 : 3;
    const rounds = quick ? 1 : 25;
    const server = await useInterplay(given);
    try {
      log(`  ${calls} calls × ${toolMs} ms, ${rounds} rounds after ${warmup} warm-up`);
      const { phase, floor, run, evidence } = await measureParallelTools(server.url, {
        calls,
        toolMs,
        warmup,
        rounds,
      });
      const figures = {
        'tool_phase.median_ms': median(phase),
        'tool_phase.p95_ms': p95(phase),
        'timer_floor.median_ms': median(floor),
        'run.median_ms': median(run),
        ideal_ms: toolMs,
      };
      return {
        name: 'parallel-tools',
        title: parallelTools.title,
        figures,
        table: [
          ['what', 'median ms', 'p95 ms'],
          [`tool phase (Runner, ${calls} calls)`, fmt(median(phase)), fmt(p95(phase))],
          [`Promise.all of ${calls} ${toolMs} ms timers`, fmt(median(floor)), fmt(p95(floor))],
          ['whole run (2 model calls + tools)', fmt(median(run)), fmt(p95(run))],
          ['ideal', String(toolMs), ''],
        ],
        targets: quick
          ? []
          : [target('50 parallel 100 ms tools: tool phase (median)', median(phase), 'max', 130, 'ms')],
        evidence,
      };
    } finally {
      await server.close();
    }
  },
};

/**
 * A client process holding many concurrent run loops (forked by the memory benchmark): each run is its own
 * `Runner` (sharing one `InteractionsClient`, as an application would) whose model calls the `hold` tool,
 * which waits until the parent releases it. The parent samples this process's memory meanwhile.
 */
import { InteractionsClient } from '@interplay/client';
import { Runner, type RunResult, tool } from '@interplay/core';
import { z } from 'zod';
import { childConfig, memorySample, serveCalls } from './child.ts';
import { HOLD_PROMPT, HOLD_TOOL, MODEL } from './scripts.ts';

const { url } = childConfig<{ url: string }>();
const client = new InteractionsClient({ baseUrl: url, apiVersion: 'v1beta', apiKey: 'bench' });

let inside = 0;
let release: () => void = () => {};
let gate: Promise<void> = Promise.resolve();
const closeGate = () => {
  gate = new Promise<void>((resolve) => {
    release = resolve;
  });
};

const hold = tool({
  name: HOLD_TOOL,
  description: 'Waits until released.',
  parameters: z.object({}),
  execute: async () => {
    inside++;
    await gate;
    return 'released';
  },
});

const newRunner = () => new Runner({ client, model: MODEL, tools: [hold], toolTimeoutMs: 0 });
let runs: Promise<RunResult<undefined>>[] = [];

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function summarize(results: RunResult<undefined>[]): Record<string, unknown> {
  const reasons: Record<string, number> = {};
  for (const r of results) reasons[r.finishReason] = (reasons[r.finishReason] ?? 0) + 1;
  return {
    runs: results.length,
    reasons,
    toolResults: results.reduce((n, r) => n + r.steps.reduce((m, s) => m + s.toolResults.length, 0), 0),
    texts: [...new Set(results.map((r) => r.text))],
  };
}

serveCalls(
  { pid: process.pid },
  {
    /** A few complete runs (gate open), so the measured state has every code path loaded. */
    warmup: async ({ n = 5 }: { n?: number } = {}) => {
      gate = Promise.resolve();
      const results: RunResult<undefined>[] = [];
      for (let i = 0; i < n; i++) results.push(await newRunner().run(HOLD_PROMPT));
      return summarize(results);
    },
    /** Start `n` runs and resolve once every one of them is inside the tool. */
    start: async ({ n }: { n: number }) => {
      closeGate();
      inside = 0;
      runs = Array.from({ length: n }, () => newRunner().run(HOLD_PROMPT));
      await until(() => inside >= n, 120_000, `${n} runs to reach the tool`);
      return { inside };
    },
    sample: ({ gc = false }: { gc?: boolean } = {}) => ({ ...memorySample(gc), inside }),
    release: async () => {
      release();
      const results = await Promise.all(runs);
      runs = [];
      return summarize(results);
    },
    close: () => {
      release();
    },
  },
);

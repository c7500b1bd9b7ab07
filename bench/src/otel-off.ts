/**
 * What the OpenTelemetry instrumentation costs the Runner when no SDK is registered (issue 26): the loop
 * alone on an in-memory backend (no HTTP, so nothing hides the difference), this tree's `@interplay/core` next
 * to an earlier tree's (`BASE`, e.g. main before the instrumentation) in one process, rounds alternated.
 * A round is 200 runs of a 10-step tool loop; the figure is CPU µs per model call, median over the rounds.
 *
 *   git archive <base-commit> packages/core | tar -x -C /tmp/otel-base
 *   ln -s "$PWD/packages/core/node_modules" /tmp/otel-base/packages/core/node_modules
 *   node bench/src/otel-off.ts /tmp/otel-base/packages/core
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

import type { InteractionsBackend } from '../../packages/core/src/index.ts';

type Core = typeof import('../../packages/core/src/index.ts');

const STEPS = 10;
const RUNS = 200;
const ROUNDS = Number(process.env.OTEL_OFF_ROUNDS ?? 15);

/** A backend answering each create at once: a `noop` call until the tenth, then an answer. */
function backend() {
  let calls = 0;
  const interaction = (output: unknown[]) => ({
    id: `v1_${++calls}`,
    status:
      output[0] && (output[0] as { type: string }).type === 'function_call' ? 'requires_action' : 'completed',
    output,
    usage: { total_input_tokens: 10, total_output_tokens: 5, total_tokens: 15 },
  });
  return {
    async create(request: { input: { type: string }[] }) {
      const step = calls % (STEPS + 1);
      void request;
      return step < STEPS
        ? interaction([{ type: 'function_call', id: `c${calls}`, name: 'noop', arguments: {} }])
        : interaction([{ type: 'model_output', content: [{ type: 'text', text: 'done' }] }]);
    },
    stream: () => Promise.reject(new Error('not streamed')),
    follow: () => Promise.reject(new Error('not followed')),
    get: () => Promise.reject(new Error('no get')),
    cancel: () => Promise.reject(new Error('no cancel')),
  };
}

async function round(core: Core): Promise<number> {
  const noop = core.tool({
    name: 'noop',
    description: 'Does nothing.',
    parameters: z.object({}),
    execute: () => 'ok',
  });
  const before = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) {
    const runner = new core.Runner({
      backend: backend() as unknown as InteractionsBackend,
      model: 'm',
      tools: [noop],
      maxSteps: STEPS + 1,
    });
    await runner.run('go');
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / (RUNS * (STEPS + 1));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const baseDir = process.argv[2];
if (!baseDir) throw new Error('usage: node bench/src/otel-off.ts BASE_CORE_DIR');
const after = (await import('../../packages/core/src/index.ts')) as Core;
const base = (await import(pathToFileURL(resolve(baseDir, 'src/index.ts')).href)) as Core;
const only = process.env.OTEL_OFF_ONLY;
if (only === 'base' || only === 'after') {
  // One variant, a given number of rounds, nothing printed: for counting instructions under callgrind, where
  // the difference between two round counts is the cost of the runs alone (see RESULTS.md).
  for (let r = 0; r < ROUNDS; r++) await round(only === 'base' ? base : after);
  process.exit(0);
}
await round(base);
await round(after); // warm-up, discarded
const figures = { base: [] as number[], after: [] as number[] };
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? (['base', 'after'] as const) : (['after', 'base'] as const);
  for (const which of order) figures[which].push(await round(which === 'base' ? base : after));
}
const b = median(figures.base);
const a = median(figures.after);
process.stdout.write(
  `CPU µs per model call, median of ${ROUNDS} rounds: base ${b.toFixed(2)}, after ${a.toFixed(2)}, ratio ${(a / b).toFixed(3)}\n` +
    `base rounds: ${figures.base.map((x) => x.toFixed(2)).join(' ')}\nafter rounds: ${figures.after.map((x) => x.toFixed(2)).join(' ')}\n`,
);

/**
 * Flow: a multi-step agent with parallel tools and a human approval.
 *
 *   node examples/flows/multi-step-agent-approval.ts
 *
 * Turn 1 — "What's the weather in Paris and in Rome?": the model calls `get_weather` twice in one step;
 * the runner runs both calls in parallel, sends both results, and the model answers.
 * Turn 2 — "Book a train from Paris to Rome for tomorrow.": the model calls `book_train`, which needs
 * approval. The run pauses (`finishReason: 'interrupted'`); its state is saved as JSON — it could wait in a
 * database for hours — then loaded, approved (or rejected) and resumed; the booking runs and the model
 * confirms. The conversation continues on the server through `previous_interaction_id` across both turns.
 *
 * When run in a terminal the approval is asked for on stdin; otherwise (tests, CI) it is approved
 * automatically. Offline, the scripted model gets three rules for this conversation (below); live Gemini
 * needs none of them.
 */
import { createInterface } from 'node:readline/promises';
import { Runner, RunState, tool } from '@interplay/core';
import { z } from 'zod';
import { setup } from '../_shared/setup.ts';

const env = await setup({
  rules: [
    {
      name: 'two forecasts at once',
      when: {
        input: 'weather in (?<first>\\w+) and (?:in )?(?<second>\\w+)',
        tools: ['get_weather'],
        last: 'user_input',
      },
      respond: [
        { type: 'function_call', name: 'get_weather', arguments: { location: '{{first}}' } },
        { type: 'function_call', name: 'get_weather', arguments: { location: '{{second}}' } },
      ],
    },
    {
      name: 'book a train',
      when: {
        input: 'book a train from (?<from>\\w+) to (?<to>\\w+)(?: for (?<date>[\\w-]+))?',
        tools: ['book_train'],
        last: 'user_input',
      },
      respond: [
        {
          type: 'function_call',
          name: 'book_train',
          arguments: { from: '{{from}}', to: '{{to}}', date: '{{date}}' },
        },
      ],
    },
    {
      name: 'confirm the booking',
      when: { input: 'book a train', last: 'function_result' },
      respond: 'Done — {{last.result}}',
    },
  ],
});

const started = Date.now();
const clock = () => `${String(Date.now() - started).padStart(5)} ms`;

const getWeather = tool({
  name: 'get_weather',
  description: 'Gets the current weather for a city.',
  parameters: z.object({ location: z.string().describe('The city, e.g. Paris') }),
  execute: async ({ location }) => {
    console.log(`  [${clock()}] get_weather(${location}) started`);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a slow weather service
    console.log(`  [${clock()}] get_weather(${location}) finished`);
    return location.toLowerCase() === 'rome' ? 'Rome: 24 °C and sunny.' : `${location}: 17 °C and cloudy.`;
  },
});

const bookTrain = tool({
  name: 'book_train',
  description: 'Books a train ticket. Costs money: the user must approve it.',
  parameters: z.object({
    from: z.string().describe('Departure city'),
    to: z.string().describe('Arrival city'),
    date: z.string().describe('Travel date, e.g. tomorrow or 2026-12-01'),
  }),
  needsApproval: true,
  execute: ({ from, to, date }) =>
    `booked: ${from} → ${to}, ${date || 'tomorrow'}, seat 42A, booking reference IP-7731.`,
});

async function decide(pending: { toolName: string; arguments: unknown }): Promise<boolean> {
  const question = `Approve ${pending.toolName}(${JSON.stringify(pending.arguments)})? [y/N] `;
  if (!process.stdin.isTTY) {
    console.log(`${question}y (approved automatically: not a terminal)`);
    return true;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

try {
  const runner = new Runner({
    client: env.client,
    model: env.model,
    instructions:
      'You are a travel assistant. Check the weather with get_weather; book trains with book_train.',
    tools: [getWeather, bookTrain],
    toolConcurrency: 4,
  });
  // Each run has its own events: log the tool calls and approval requests of every turn.
  const run = (...args: Parameters<typeof runner.start>) => {
    const handle = runner.start(...args);
    handle.on('tool_call', (e) =>
      console.log(`→ step ${e.step}: ${e.call.name}(${JSON.stringify(e.call.arguments)})`),
    );
    handle.on('approval_requested', (e) =>
      console.log(`⏸ waiting for approval: ${e.pending.map((p) => p.toolName).join(', ')}`),
    );
    return handle.result;
  };

  // ---- Turn 1: two tool calls in one step, run in parallel ----------------------------------------------
  console.log("User: What's the weather in Paris and in Rome?");
  const turn1 = await run("What's the weather in Paris and in Rome?");
  const calls = turn1.steps[0]?.toolResults ?? [];
  console.log(`Model: ${turn1.text}`);
  console.log(
    `(${calls.length} calls in step 1, ran in parallel: ${calls.map((r) => `${r.name} ${r.durationMs} ms`).join(', ')})`,
  );

  // ---- Turn 2: a call that needs approval ------------------------------------------------------------
  console.log('\nUser: Book a train from Paris to Rome for tomorrow.');
  const paused = await run(turn1.state, { input: 'Book a train from Paris to Rome for tomorrow.' });
  console.log(`(finish reason: ${paused.finishReason})`);
  if (paused.finishReason !== 'interrupted') throw new Error('expected the booking to wait for approval');

  // The state is plain JSON: save it anywhere, resume in another process.
  const saved = JSON.stringify(paused.state);
  console.log(`(saved run state: ${saved.length} bytes)`);

  const state = RunState.fromJSON(saved);
  for (const pending of state.interruptions) {
    if (await decide(pending)) state.approve(pending.callId);
    else state.reject(pending.callId, 'The user declined the booking.');
  }
  const done = await run(state);
  for (const r of done.steps.flatMap((s) => s.toolResults))
    console.log(
      `← ${r.name}: ${r.isError ? `rejected (${JSON.stringify(r.result)})` : JSON.stringify(r.result)}`,
    );
  console.log(`Model: ${done.text}`);
  console.log(
    `(${done.finishReason}; ${done.steps.length} model calls and ${done.usage.total_tokens} tokens across both turns)`,
  );
} finally {
  await env.close();
}

/**
 * Seed: "Function calling with client state" — the same loop without server-side state: nothing is stored
 * (`store: false`) and every call re-sends the whole history — the user turn, the model's `function_call`
 * and our `function_result`. `mode: 'stateless'` makes the `Runner` keep that history; `result.state` holds
 * it, so it can be serialized and continued elsewhere.
 *
 *   node examples/seed/14-function-calling-client-state.ts
 */
import { Runner, tool } from '@interplay/core';
import { z } from 'zod';
import { setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const scheduleMeeting = tool({
    name: 'schedule_meeting',
    description: 'Schedules a meeting with specified attendees at a given time and date.',
    parameters: z.object({
      attendees: z.array(z.string()),
      date: z.string().describe('Date of the meeting (e.g., 2024-07-29)'),
      time: z.string().describe('Time of the meeting (e.g., 15:00)'),
      topic: z.string().describe('The subject of the meeting.'),
    }),
    // In a real app this would call your calendar.
    execute: ({ attendees, date, time, topic }) => {
      console.log(`  (calendar) ${date} ${time}: "${topic}" with ${attendees.join(', ')}`);
      return 'Meeting scheduled successfully.';
    },
  });

  const runner = new Runner({
    client: env.client,
    model: env.model,
    tools: [scheduleMeeting],
    mode: 'stateless',
  });
  const run = runner.start(
    'Schedule a meeting for 2025-11-01 at 10 am with Peter and Amir about the Next Gen API.',
  );
  run.on('tool_call', (e) =>
    console.log(`Function call: ${e.call.name} with arguments ${JSON.stringify(e.call.arguments)}`),
  );
  const result = await run.result;
  console.log(`Final response: ${result.text}`);

  const history = JSON.parse(JSON.stringify(result.state)) as { history?: { type: string }[] };
  console.log(`(client-side history: ${(history.history ?? []).map((i) => i.type).join(' → ')})`);
} finally {
  await env.close();
}

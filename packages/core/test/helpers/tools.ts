/** Tools shared by the loop tests. */
import { z } from 'zod';
import { tool } from '../../src/index.ts';
import { sleep } from './sleep.ts';

export const getWeather = tool({
  name: 'get_weather',
  description: 'Gets the weather for a given location.',
  parameters: z.object({ location: z.string().describe('The city and state, e.g. San Francisco, CA') }),
  execute: ({ location }) => `The weather in ${location} is sunny.`,
});

export const scheduleMeeting = tool({
  name: 'schedule_meeting',
  description: 'Schedules a meeting with specified attendees at a given time and date.',
  parameters: z.object({
    attendees: z.array(z.string()),
    date: z.string().describe('Date of the meeting (e.g., 2024-07-29)'),
    time: z.string().describe('Time of the meeting (e.g., 15:00)'),
    topic: z.string().describe('The subject of the meeting.'),
  }),
  execute: () => 'Meeting scheduled successfully.',
});

export const deleteFile = tool({
  name: 'delete_file',
  description: 'Deletes a file.',
  parameters: z.object({ path: z.string() }),
  needsApproval: true,
  execute: ({ path }) => `deleted ${path}`,
});

/** A tool that always fails: the database it checks refuses the connection. */
export const checkDatabase = tool({
  name: 'check_database',
  description: 'Checks the database.',
  parameters: z.object({}),
  execute: () => {
    throw new Error('connection refused');
  },
});

/**
 * A tool `name` that, once called, waits until its signal aborts (or `ms` pass, then answers `answer`): for
 * the abort tests. `entered` resolves when it has started; `signal()` is the signal it was given.
 */
export function toolThatWaits(
  name: string,
  options: { description?: string; ms?: number; answer?: string } = {},
) {
  let seen: AbortSignal | undefined;
  let enter = () => {};
  const entered = new Promise<void>((resolve) => {
    enter = resolve;
  });
  const waiting = tool({
    name,
    description: options.description ?? '',
    parameters: z.object({}),
    execute: async (_args, { signal }) => {
      seen = signal;
      enter();
      await sleep(options.ms ?? 10_000, signal);
      return options.answer ?? 'never';
    },
  });
  return { tool: waiting, entered, signal: () => seen };
}

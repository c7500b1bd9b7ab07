/**
 * Agents shared by the agent tests and the child process that resumes a paused run (resume-child.ts): both
 * define the same agents from this module, as two processes of one application would.
 */
import { InteractionsClient } from '@interplay/client';
import type { ScriptInput } from '@interplay/server';
import { z } from 'zod';
import { Agent, tool } from '../../src/index.ts';

export const MODEL = 'gemini-3-flash-preview';

export function clientAt(url: string): InteractionsClient {
  return new InteractionsClient({ baseUrl: url, apiVersion: 'v1beta', apiKey: 'test-key', maxRetries: 0 });
}

/** Every `publish` that ran in this process, by title. */
export const published: string[] = [];

export const publish = tool({
  name: 'publish',
  description: 'Publishes an article. Public: a human must approve it.',
  parameters: z.object({ title: z.string() }),
  needsApproval: true,
  execute: ({ title }) => {
    published.push(title);
    return `published "${title}"`;
  },
});

export const writer = new Agent({
  name: 'writer',
  instructions: 'Write the article from the notes and publish it.',
  tools: [publish],
});

export const researcher = new Agent({
  name: 'researcher',
  instructions: 'Research the topic, then have the writer write and publish the article.',
  tools: [
    writer.asTool({ name: 'write_article', description: 'Writes and publishes an article from notes.' }),
  ],
});

/** The scripted model's answers for these agents (it tells them apart by the tools they offer). */
export const RULES: ScriptInput['rules'] = [
  {
    name: 'researcher asks the writer',
    when: { input: 'research (?<topic>\\w+)', tools: ['write_article'], last: 'user_input' },
    respond: [{ type: 'function_call', name: 'write_article', arguments: { input: 'Notes on {{topic}}' } }],
  },
  {
    name: 'researcher reports',
    when: { tools: ['write_article'], last: 'function_result' },
    respond: 'Research done. The writer says: {{last.result}}',
  },
  {
    name: 'writer publishes',
    when: { input: 'Notes on (?<topic>\\w+)', tools: ['publish'], last: 'user_input' },
    respond: [{ type: 'function_call', name: 'publish', arguments: { title: 'All about {{topic}}' } }],
  },
  {
    name: 'writer confirms',
    when: { tools: ['publish'], last: 'function_result' },
    respond: 'Writer: {{last.result}}',
  },
];

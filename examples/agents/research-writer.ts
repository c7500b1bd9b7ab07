/**
 * Agents: a research agent using a writer agent as a tool.
 *
 *   node examples/agents/research-writer.ts
 *
 * The researcher searches (`google_search`, run by the server) and hands its notes to the writer through
 * `writer.asTool(…)`: the writer runs in its own interaction chain and its typed answer (an `outputType`)
 * comes back as the tool's result. The writer's events reach the researcher's stream tagged
 * `agent: 'writer'`. Publishing needs a human: the writer's `publish` call pauses the whole run, the state
 * is saved as JSON, approved and resumed.
 *
 * Offline, the scripted model gets one rule per step (below); live Gemini needs none.
 */
import { Agent, googleSearch, Runner, RunState, tool } from '@interplay/core';
import { z } from 'zod';
import { setup } from '../_shared/setup.ts';

const env = await setup({
  rules: [
    {
      name: 'researcher: search first',
      when: {
        input: 'article about (?<topic>[\\w ]+)',
        tools: ['google_search', 'write_article'],
        last: 'user_input',
      },
      respond: [{ type: 'google_search_call', arguments: { queries: ['{{topic}}'] } }],
    },
    {
      name: 'researcher: hand the notes to the writer',
      when: {
        input: 'article about (?<topic>[\\w ]+)',
        tools: ['write_article'],
        last: 'google_search_result',
      },
      respond: [
        {
          type: 'function_call',
          name: 'write_article',
          arguments: { input: 'Notes on {{topic}}: see the search results.' },
        },
      ],
    },
    {
      name: 'researcher: report',
      when: { tools: ['write_article'], last: 'function_result' },
      respond: 'The article is out: {{last.result}}',
    },
    {
      name: 'writer: publish the piece',
      when: { input: 'Notes on (?<topic>[\\w ]+):', tools: ['publish'], last: 'user_input' },
      respond: [
        { type: 'function_call', name: 'publish', arguments: { title: 'What we know about {{topic}}' } },
      ],
    },
    {
      name: 'writer: answer as JSON',
      when: { tools: ['publish'], last: 'function_result', schema: true },
      respond: [
        {
          type: 'json',
          value: {
            title: 'What we know about tide pools',
            url: 'https://blog.example/what-we-know-about-tide-pools',
          },
        },
      ],
    },
  ],
});

const publish = tool({
  name: 'publish',
  description: 'Publishes an article on the blog. Public: a human must approve it.',
  parameters: z.object({ title: z.string() }),
  needsApproval: true,
  execute: ({ title }) => `https://blog.example/${title.toLowerCase().replaceAll(' ', '-')}`,
});

const writer = new Agent({
  name: 'writer',
  instructions: 'Write a short article from the notes, publish it, and answer with its title and URL.',
  tools: [publish],
  outputType: z.object({ title: z.string(), url: z.string() }),
});
const researcher = new Agent({
  name: 'researcher',
  instructions: 'Search the topic, then have the writer write and publish an article from your notes.',
  tools: [
    googleSearch(),
    writer.asTool({ name: 'write_article', description: 'Writes and publishes an article.' }),
  ],
});

try {
  const runner = new Runner({ client: env.client, model: env.model, maxSteps: 6 });
  const start = (input: string | RunState) => {
    const handle = runner.start(researcher, input);
    handle.on('tool_call', (e) =>
      console.log(`${e.agent ?? 'researcher'} → ${e.call.name}(${JSON.stringify(e.call.arguments)})`),
    );
    handle.on('run_finish', (e) => console.log(`${e.agent ?? 'researcher'} finished: ${e.finishReason}`));
    return handle.result;
  };

  const paused = await start('Write an article about tide pools');
  // The search ran on the server, inside the researcher's first interaction.
  console.log(`(researcher's first step: ${paused.steps[0]?.output.map((item) => item.type).join(' → ')})`);
  console.log(
    `(paused: ${paused.finishReason}; waiting: ${paused.interruptions.map((p) => `${p.agent}/${p.toolName}`).join(', ')})`,
  );
  const state = RunState.fromJSON(JSON.stringify(paused.state)); // it could wait in a database
  for (const pending of state.interruptions) state.approve(pending.callId);

  const done = await start(state);
  console.log(`Researcher: ${done.text}`);
} finally {
  await env.close();
}

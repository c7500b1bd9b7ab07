/**
 * Seed: "Agents" — start the Deep Research agent in the background, then follow it to the end.
 *
 *   node examples/seed/12-deep-research-agent.ts
 *
 * The seed polls `get` every 10 s; `client.wait` does that job better: it streams the run (resuming after
 * dropped connections), falls back to polling only if streaming fails, and returns the final interaction.
 *
 * Offline the agent is Interplay's own deep-research agent: it really plans, searches the bundled corpus,
 * reads the pages (served on 127.0.0.1) and writes a cited report; the scripted model only supplies the
 * planning and writing text, so the report is the agent's notes rather than prose.
 */
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup({ deepResearch: true });
try {
  // 1. Start the Deep Research agent.
  const started = await env.client.create({
    input: 'Research the history of the Google TPUs with a focus on 2025 and 2026.',
    agent: 'deep-research-pro-preview-12-2025',
    background: true,
  });
  const id = started.interaction.id;
  console.log(`Research started. Interaction ID: ${id} (status ${started.interaction.status})`);

  // 2. Follow it until it settles.
  let searches = 0;
  const { interaction } = await env.client.wait(id, {
    onStatus: (status) => console.log(`Status: ${status}`),
    onEvent: ({ events }) => {
      for (const e of events) {
        if (e.event_type === 'step.start' && e.step.type === 'google_search_call') searches++;
      }
    },
  });

  if (interaction.status === 'completed') {
    console.log(`(${searches} searches, ${interaction.usage?.total_tokens} tokens)`);
    console.log(`\nFinal Report:\n${lastText(interaction.output)}`);
  } else {
    console.log(`Failed with status: ${interaction.status}`);
    process.exitCode = 1;
  }
} finally {
  await env.close();
}

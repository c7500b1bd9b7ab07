/**
 * Seed: "Built-in tools — Grounding with Google Search". The search runs server-side: the interaction's steps
 * show the `google_search_call`, its `google_search_result` and then the answer.
 *
 *   node examples/seed/15-google-search.ts
 *
 * Offline, Interplay's server runs google_search over a local corpus (packages/server/test/fixtures/
 * search-corpus.jsonl); the scripted model then answers with what it found.
 */
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const { interaction } = await env.client.create({
    model: env.model,
    input: 'Who won the last Super Bowl?',
    tools: [{ type: 'google_search' }],
  });

  for (const step of interaction.output) {
    if (step.type === 'google_search_call') console.log(`Searched: ${step.arguments.queries?.join(' | ')}`);
    if (step.type === 'google_search_result') {
      const hits = Array.isArray(step.result) ? step.result : [step.result];
      for (const hit of hits) if (hit.url) console.log(`  ${hit.title} — ${hit.url}`);
    }
  }
  // The text output (not the google_search_result step):
  console.log(lastText(interaction.output));
} finally {
  await env.close();
}

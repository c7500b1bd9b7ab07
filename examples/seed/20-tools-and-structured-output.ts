/**
 * Seed: "Combine tools and structured output" — search first, then answer as JSON that follows a schema.
 * This one stays at the wire level, as in the seed: `z.toJSONSchema(schema)` goes in the request's
 * `response_format` (steps revision: a `text` entry with `mime_type: application/json` and the `schema`), and
 * the same zod schema parses the answer.
 *
 *   node examples/seed/20-tools-and-structured-output.ts
 *
 * Offline the search really runs over the bundled corpus; the scripted model then answers with a minimal
 * valid instance of the schema (placeholder values), not with facts read from the results.
 */
import { z } from 'zod';
import { lastText, setup } from '../_shared/setup.ts';

const schema = z.object({
  winning_team: z.string(),
  score: z.string(),
});

const env = await setup();
try {
  const { interaction } = await env.client.create({
    model: env.model,
    input: 'Who won the last euro?',
    tools: [{ type: 'google_search' }],
    response_format: { type: 'text', mime_type: 'application/json', schema: z.toJSONSchema(schema) },
  });

  for (const step of interaction.output) {
    if (step.type === 'google_search_call') console.log(`Searched: ${step.arguments.queries?.join(' | ')}`);
  }
  const text = lastText(interaction.output);
  console.log(`Raw answer: ${text}`);
  const parsed = schema.parse(JSON.parse(text));
  console.log(`Parsed: ${JSON.stringify(parsed)}`);
  console.log(`Winner: ${parsed.winning_team}, score ${parsed.score}`);
} finally {
  await env.close();
}

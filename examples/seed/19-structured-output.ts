/**
 * Seed: "Structured output (JSON schema)" — content moderation whose answer must follow a schema with a
 * union: spam details *or* not-spam details.
 *
 *   node examples/seed/19-structured-output.ts
 *
 * With Interplay the zod schema is the single source: the `Runner` converts it for Gemini (the union becomes
 * `anyOf`), asks for JSON, then parses and validates the answer, so `result.output` is typed. Offline the
 * scripted model answers with a minimal valid instance of the schema (deterministic placeholder values).
 */
import { Runner } from '@interplay/core';
import { z } from 'zod';
import { setup } from '../_shared/setup.ts';

const moderationSchema = z.object({
  decision: z.union([
    z
      .object({
        reason: z.string().describe('The reason why the content is considered spam.'),
        spam_type: z
          .enum(['phishing', 'scam', 'unsolicited promotion', 'other'])
          .describe('The type of spam.'),
      })
      .describe('Details for content classified as spam.'),
    z
      .object({
        summary: z.string().describe('A brief summary of the content.'),
        is_safe: z.boolean().describe('Whether the content is safe for all audiences.'),
      })
      .describe('Details for content classified as not spam.'),
  ]),
});

const env = await setup();
try {
  const runner = new Runner({ client: env.client, model: env.model, responseFormat: moderationSchema });
  const result = await runner.run(
    "Moderate the following content: 'Congratulations! You've won a free cruise. Click here to claim your " +
      "prize: www.definitely-not-a-scam.com'",
  );

  console.log(`Raw answer: ${result.text}`);
  const { decision } = result.output!; // typed: z.infer<typeof moderationSchema>
  if ('spam_type' in decision) console.log(`Spam (${decision.spam_type}): ${decision.reason}`);
  else console.log(`Not spam (safe: ${decision.is_safe}): ${decision.summary}`);
  console.log(`Parsed: ${JSON.stringify(result.output)}`);
} finally {
  await env.close();
}

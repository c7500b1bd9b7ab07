/**
 * Seed: "Streaming" — receive the answer while it is generated. Steps-revision events: `step.start` opens a
 * step (it may already carry the first piece of text), `step.delta` adds to it (`text`, `thought_summary`, …),
 * `interaction.completed` ends the stream with the status and usage.
 *
 *   node examples/seed/21-streaming.ts
 *
 * The stream resumes by itself (`last_event_id`) if the connection drops; `finalInteraction()` gives the
 * interaction reassembled from the events.
 */
import { setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const stream = await env.client.stream({
    model: env.model,
    input: 'Explain quantum entanglement in simple terms.',
  });

  let deltas = 0;
  for await (const { events } of stream) {
    for (const e of events) {
      if (e.event_type === 'step.start') {
        // The first chunk may come with the step itself.
        if (e.step.type === 'model_output')
          for (const part of e.step.content ?? []) if (part.type === 'text') process.stdout.write(part.text);
        if (e.step.type === 'thought' && Array.isArray(e.step.summary))
          for (const part of e.step.summary) if (part.type === 'text') process.stdout.write(part.text);
      } else if (e.event_type === 'step.delta') {
        deltas++;
        if (e.delta.type === 'text') process.stdout.write(e.delta.text);
        else if (e.delta.type === 'thought_summary' && e.delta.content?.type === 'text')
          process.stdout.write(e.delta.content.text);
      } else if (e.event_type === 'interaction.completed') {
        console.log('\n\n--- Stream Finished ---');
        console.log(`Total Tokens: ${e.interaction.usage?.total_tokens}`);
      }
    }
  }
  const final = await stream.finalInteraction();
  console.log(
    `(${deltas} deltas; interaction ${final.id} ${final.status}; last event ${stream.lastEventId})`,
  );
} finally {
  await env.close();
}

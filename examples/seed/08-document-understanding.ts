/**
 * Seed: "Multimodal understanding — document": a text question and a document (`application/pdf`) in one input.
 *
 *   node examples/seed/08-document-understanding.ts
 *
 * The document is generated in code (`report.pdf`, see examples/_shared/assets.ts). Offline it is passed by
 * `uri` from a local asset server, as the seed passes a public URL; live it is sent inline (base64 `data`),
 * because Gemini cannot reach 127.0.0.1. The offline model is scripted: it acknowledges the document and says it
 * cannot perceive it.
 */
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup({ assets: true });
try {
  const pdf = env.media('document', 'report.pdf');
  const { interaction } = await env.client.create({
    model: env.model,
    input: [{ type: 'text', text: 'What is this document about?' }, pdf],
  });
  console.log(
    `Sent: What is this document about? + document ${pdf.uri ?? '(inline data)'} (${pdf.mime_type})`,
  );
  console.log(lastText(interaction.output));
} finally {
  await env.close();
}

/**
 * Seed: "Multimodal understanding — audio": a text question and an audio (`audio/wav`) in one input.
 *
 *   node examples/seed/06-audio-understanding.ts
 *
 * The audio is generated in code (`tone.wav`, see examples/_shared/assets.ts). Offline it is passed by
 * `uri` from a local asset server, as the seed passes a public URL; live it is sent inline (base64 `data`),
 * because Gemini cannot reach 127.0.0.1. The offline model is scripted: it acknowledges the audio and says it
 * cannot perceive it.
 */
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup({ assets: true });
try {
  const audio = env.media('audio', 'tone.wav');
  const { interaction } = await env.client.create({
    model: env.model,
    input: [{ type: 'text', text: 'What does this audio say?' }, audio],
  });
  console.log(`Sent: What does this audio say? + audio ${audio.uri ?? '(inline data)'} (${audio.mime_type})`);
  console.log(lastText(interaction.output));
} finally {
  await env.close();
}

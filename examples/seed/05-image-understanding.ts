/**
 * Seed: "Multimodal understanding — image": a text question and an image (`image/png`) in one input.
 *
 *   node examples/seed/05-image-understanding.ts
 *
 * The image is generated in code (`scene.png`, see examples/_shared/assets.ts). Offline it is passed by
 * `uri` from a local asset server, as the seed passes a public URL; live it is sent inline (base64 `data`),
 * because Gemini cannot reach 127.0.0.1. The offline model is scripted: it acknowledges the image and says it
 * cannot perceive it.
 */
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup({ assets: true });
try {
  const image = env.media('image', 'scene.png');
  const { interaction } = await env.client.create({
    model: env.model,
    input: [{ type: 'text', text: 'Describe the image.' }, image],
  });
  console.log(`Sent: Describe the image. + image ${image.uri ?? '(inline data)'} (${image.mime_type})`);
  console.log(lastText(interaction.output));
} finally {
  await env.close();
}

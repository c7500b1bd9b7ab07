/**
 * Seed: "Use remote files" — reference a file by URL in the input (here without a `mime_type`, as in the
 * seed); the API fetches it.
 *
 *   node examples/seed/24-remote-files.ts
 *
 * Live: the seed's public image. Offline: an image generated in code and served on 127.0.0.1; the scripted
 * model acknowledges it and says it cannot perceive it.
 */
import { setup } from '../_shared/setup.ts';

const env = await setup({ assets: true });
try {
  const uri =
    env.offline && env.assets
      ? env.assets.url('scene.png')
      : 'https://github.com/philschmid/gemini-samples/raw/refs/heads/main/assets/cats-and-dogs.jpg';

  const { interaction } = await env.client.create({
    model: env.model,
    input: [
      { type: 'image', uri },
      { type: 'text', text: 'Describe what you see.' },
    ],
  });
  console.log(`Image: ${uri}`);
  for (const step of interaction.output) {
    if (step.type !== 'model_output') continue;
    for (const part of step.content ?? []) if (part.type === 'text') console.log(part.text);
  }
} finally {
  await env.close();
}

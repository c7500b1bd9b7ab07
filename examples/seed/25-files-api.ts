/**
 * Seed: "Use the Gemini Files API" — upload a file, wait until it is ACTIVE, then use its `uri` in an
 * interaction.
 *
 *   node examples/seed/25-files-api.ts
 *
 * The upload uses the official SDK's `files` API (the resumable upload protocol; @interplay/client covers
 * the Interactions API only), pointed at the same target as our client. Offline, Interplay's server stores
 * the file, turns it ACTIVE shortly after the upload, and checks that an interaction's `files/<id>` URI names
 * an ACTIVE file of the same API key. The image is generated in code instead of downloaded.
 */
import { GoogleGenAI } from '@google/genai';
import { asset } from '../_shared/assets.ts';
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const ai = new GoogleGenAI(env.genai);

  // 1. The file: a PNG made in code (examples/_shared/assets.ts).
  const { bytes, mimeType } = asset('scene.png');

  // 2. Upload to the Files API.
  const uploaded = await ai.files.upload({
    file: new Blob([new Uint8Array(bytes)], { type: mimeType }),
    config: { mimeType, displayName: 'scene.png' },
  });
  console.log(`Uploaded ${uploaded.name} (${uploaded.sizeBytes} bytes, state ${uploaded.state})`);

  // 3. Wait for processing.
  let file = uploaded;
  while (file.state !== 'ACTIVE') {
    if (file.state === 'FAILED') throw new Error(`processing ${file.name} failed`);
    await new Promise((resolve) => setTimeout(resolve, env.offline ? 50 : 2_000));
    file = await ai.files.get({ name: uploaded.name! });
  }
  console.log(`State: ${file.state}, uri: ${file.uri}`);

  // 4. Use it in an interaction.
  const { interaction } = await env.client.create({
    model: env.model,
    input: [
      { type: 'image', uri: file.uri!, mime_type: mimeType },
      { type: 'text', text: 'Describe what you see.' },
    ],
  });
  console.log(lastText(interaction.output));

  await ai.files.delete({ name: file.name! });
  console.log(`Deleted ${file.name}`);
} finally {
  await env.close();
}

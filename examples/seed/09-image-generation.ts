/**
 * Seed: "Image generation" and "Configure image output" — ask for an image answer, then the same with an
 * aspect ratio and a size. In the steps revision both go in `response_format` as an `image` entry (the seed's
 * legacy `response_modalities: ['IMAGE']` and `generation_config.image_config`).
 *
 *   node examples/seed/09-image-generation.ts
 *
 * Offline the scripted model answers with a placeholder 1×1 PNG. The images are written to the temp directory.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Item } from '@interplay/protocol';
import { setup } from '../_shared/setup.ts';

const env = await setup();
try {
  // 1. An image answer.
  const plain = await env.client.create({
    model: 'gemini-3-pro-image-preview',
    input: 'Generate an image of a futuristic city.',
    response_format: { type: 'image' },
  });
  saveImages(plain.interaction.output, 'generated_city');

  // 2. With image options: aspect ratio and size.
  const configured = await env.client.create({
    model: 'gemini-3-pro-image-preview',
    input: 'Generate an image of a futuristic city.',
    response_format: { type: 'image', aspect_ratio: '9:16', image_size: '2K' },
  });
  saveImages(configured.interaction.output, 'generated_city_9x16');
} finally {
  await env.close();
}

function saveImages(output: Item[], basename: string): void {
  let n = 0;
  for (const step of output) {
    if (step.type !== 'model_output') continue;
    for (const part of step.content ?? []) {
      if (part.type === 'text') console.log(`Text: ${part.text}`);
      if (part.type !== 'image' || !part.data) continue;
      const bytes = Buffer.from(part.data, 'base64');
      const file = join(tmpdir(), `${basename}${n++ ? `_${n}` : ''}.png`);
      writeFileSync(file, bytes);
      console.log(`Generated image with mime_type: ${part.mime_type} (${bytes.length} bytes) → ${file}`);
    }
  }
}

/**
 * Seed: "Speech generation" — text to speech with one voice (`speech_config` in `generation_config`). The
 * audio comes back as base64 PCM (16-bit, 24 kHz); this example wraps it in a WAV header and saves it.
 *
 *   node examples/seed/10-speech-generation.ts
 *
 * Offline the scripted model answers with 0.25 s of silence in the same format.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pcmToWav } from '../_shared/assets.ts';
import { setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const { interaction } = await env.client.create({
    model: 'gemini-2.5-flash-preview-tts',
    input: 'Say the following: WOOHOO This is so much fun!.',
    response_format: { type: 'audio' },
    generation_config: { speech_config: { language: 'en-us', voice: 'kore' } },
  });

  for (const step of interaction.output) {
    if (step.type !== 'model_output') continue;
    for (const part of step.content ?? []) {
      if (part.type !== 'audio' || !part.data) continue;
      console.log(`Generated audio with mime_type: ${part.mime_type}`);
      const pcm = Buffer.from(part.data, 'base64');
      const file = join(tmpdir(), 'generated_audio.wav');
      writeFileSync(file, pcmToWav(pcm, 24_000));
      console.log(`Saved ${(pcm.length / 2 / 24_000).toFixed(2)} s of audio → ${file}`);
    }
  }
} finally {
  await env.close();
}

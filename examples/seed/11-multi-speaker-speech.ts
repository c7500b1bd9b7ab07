/**
 * Seed: "Multi-speaker speech generation" — the prompt names the speakers, and `speech_config` gives each one
 * a voice.
 *
 *   node examples/seed/11-multi-speaker-speech.ts
 *
 * Offline: the default script only speaks prompts starting with "Say …", so this example adds one scripted
 * rule for "TTS …" prompts (answered, like "Say …", with 0.25 s of placeholder audio).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pcmToWav } from '../_shared/assets.ts';
import { setup } from '../_shared/setup.ts';

const env = await setup({
  rules: [{ name: 'multi-speaker speech', when: { input: '^\\s*tts\\b' }, respond: [{ type: 'audio' }] }],
});
try {
  const prompt = `TTS the following conversation between Alice and Bob:
Alice: Hi Bob, how are you doing today?
Bob: I'm doing great, thanks for asking! How about you?
Alice: Fantastic! I just learned about the Gemini API.`;

  const { interaction } = await env.client.create({
    model: 'gemini-2.5-flash-preview-tts',
    input: prompt,
    response_format: { type: 'audio' },
    generation_config: {
      speech_config: [
        { voice: 'Zephyr', speaker: 'Alice', language: 'en-US' },
        { voice: 'Puck', speaker: 'Bob', language: 'en-US' },
      ],
    },
  });

  for (const step of interaction.output) {
    if (step.type !== 'model_output') continue;
    for (const part of step.content ?? []) {
      if (part.type !== 'audio' || !part.data) continue;
      console.log(`Generated audio with mime_type: ${part.mime_type}`);
      const file = join(tmpdir(), 'generated_conversation.wav');
      writeFileSync(file, pcmToWav(Buffer.from(part.data, 'base64'), 24_000));
      console.log(`Saved the conversation (voices: Alice → Zephyr, Bob → Puck) → ${file}`);
    }
  }
} finally {
  await env.close();
}

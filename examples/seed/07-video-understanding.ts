/**
 * Seed: "Multimodal understanding — video": a question and a video (`video/mp4`) in one input.
 *
 *   node examples/seed/07-video-understanding.ts
 *
 * Offline the video is `clip.mp4`, an MP4 *stub* generated in code (examples/_shared/assets.ts) and served by
 * `uri` from a local asset server; the scripted model acknowledges it and says it cannot perceive it. Live, a
 * real video is needed: `EXAMPLE_VIDEO_URL`, or by default a public YouTube video Gemini can watch.
 */
import type { VideoContent } from '@interplay/protocol';
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup({ assets: true });
try {
  const video: VideoContent = env.offline
    ? (env.media('video', 'clip.mp4') as VideoContent)
    : {
        type: 'video',
        uri: process.env.EXAMPLE_VIDEO_URL ?? 'https://www.youtube.com/watch?v=9hE5-98ZeCg',
        mime_type: 'video/mp4',
      };

  console.log('Analyzing video...');
  const { interaction } = await env.client.create({
    model: env.model,
    input: [{ type: 'text', text: 'What is happening in this video? Provide a timestamped summary.' }, video],
  });
  console.log(`Sent: video ${video.uri}`);
  console.log(lastText(interaction.output));
} finally {
  await env.close();
}

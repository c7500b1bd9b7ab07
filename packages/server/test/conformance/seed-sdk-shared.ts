/** What the seed SDK suites share (seed-sdk-suite.ts): the seeds' tools, schemas and media, and where they run. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type Conformance, JPEG } from './support.ts';

/** The environment the suites run against, set up before their tests (seed-sdk-suite.ts). */
export interface SeedContext {
  env: Conformance;
  /** A temp directory for the files the seeds write. */
  dir: string;
}

/** A media file of the local media server, as the seeds' `YOUR_URL`. */
export const mediaUrl = (ctx: SeedContext, file: string): string => `${ctx.env.media.url}/${file}`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const MODEL = 'gemini-3-flash-preview';

// The seeds' schemas and tools, shared by both SDK generations.
export const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Gets the weather for a given location.',
  parameters: {
    type: 'object',
    properties: {
      location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
    },
    required: ['location'],
  },
};
export const meetingTool = {
  type: 'function' as const,
  name: 'schedule_meeting',
  description: 'Schedules a meeting with specified attendees at a given time and date.',
  parameters: {
    type: 'object',
    properties: {
      attendees: { type: 'array', items: { type: 'string' } },
      date: { type: 'string', description: 'Date of the meeting (e.g., 2024-07-29)' },
      time: { type: 'string', description: 'Time of the meeting (e.g., 15:00)' },
      topic: { type: 'string', description: 'The subject of the meeting.' },
    },
    required: ['attendees', 'date', 'time', 'topic'],
  },
};
export const MEETING =
  'Schedule a meeting for 2025-11-01 at 10 am with Peter and Amir about the Next Gen API.';
/** The arguments a model gives schedule_meeting for {@link MEETING}. */
export const MEETING_ARGUMENTS = {
  attendees: ['Peter', 'Amir'],
  date: '2025-11-01',
  time: '10 am',
  topic: 'Next Gen API',
};
export const MODERATE =
  "Moderate the following content: 'Congratulations! You've won a free cruise. Click here to claim your prize: www.definitely-not-a-scam.com'";
export const moderationSchema = z.object({
  decision: z.union([
    z
      .object({
        reason: z.string().describe('The reason why the content is considered spam.'),
        spam_type: z
          .enum(['phishing', 'scam', 'unsolicited promotion', 'other'])
          .describe('The type of spam.'),
      })
      .describe('Details for content classified as spam.'),
    z
      .object({
        summary: z.string().describe('A brief summary of the content.'),
        is_safe: z.boolean().describe('Whether the content is safe for all audiences.'),
      })
      .describe('Details for content classified as not spam.'),
  ]),
});
export const euroSchema = z.object({ winning_team: z.string(), score: z.string() });
export const MEDIA_INPUTS = [
  { type: 'image', file: 'car.png', mime_type: 'image/png', prompt: 'Describe the image.' },
  { type: 'audio', file: 'speech.wav', mime_type: 'audio/wav', prompt: 'What does this audio say?' },
  {
    type: 'video',
    file: 'video.mp4',
    mime_type: 'video/mp4',
    prompt: 'What is happening in this video? Provide a timestamped summary.',
  },
  {
    type: 'document',
    file: 'sample.pdf',
    mime_type: 'application/pdf',
    prompt: 'What is this document about?',
  },
] as const;

/** The seed's download step, offline: the picture as a local file. */
export function catsAndDogs(ctx: SeedContext): string {
  const filename = path.join(ctx.dir, 'cats-and-dogs.jpg');
  writeFileSync(filename, JPEG);
  return filename;
}

/**
 * The seed guides' JavaScript examples through the OFFICIAL SDKs pointed at our server:
 *
 * - `@google/genai` 1.52 (`genai-legacy`), legacy revision: the code as in the seeds (reading
 *   `interaction.outputs`), with `Api-Revision: 2026-05-07` sent per request (1.x does not forward
 *   `httpOptions.headers` to interactions) — the server's default revision is steps.
 * - `@google/genai` 3.x, steps revision (its default, no header): the same examples adapted to `steps`,
 *   Step[] histories and the polymorphic `response_format`.
 *
 * What the seeds fetch from the internet (`YOUR_URL`, the cats-and-dogs download) comes from 127.0.0.1;
 * the seeds' 2–10 s polling sleeps are shortened. Each test fails if the server breaks its flow.
 *
 * Run against one server (seed-sdk.test.ts) and against two replicas on one Postgres database behind a
 * round-robin proxy (seed-sdk-replicas.test.ts): the same examples, whichever replica answers each request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { legacySeedTests } from './seed-sdk-legacy.ts';
import type { SeedContext } from './seed-sdk-shared.ts';
import { stepsSeedTests } from './seed-sdk-steps.ts';
import type { Conformance } from './support.ts';

/** Registers the suite's tests, against the environment `start` brings up. */
export function seedSdkSuite(start: () => Promise<Conformance>): void {
  const ctx = {} as SeedContext;
  beforeAll(async () => {
    ctx.env = await start();
    ctx.dir = mkdtempSync(path.join(tmpdir(), 'interplay-seed-sdk-'));
  });
  afterAll(async () => {
    await ctx.env?.close();
    if (ctx.dir) rmSync(ctx.dir, { recursive: true, force: true });
  });
  legacySeedTests(ctx);
  stepsSeedTests(ctx);
}

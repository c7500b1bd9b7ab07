/**
 * Headless Chromium from Debian's packages (`apt-get install chromium`), driven by playwright-core. Each
 * launch gets a fresh profile directory. Without Chromium the browser tests fail with a message saying how
 * to install it; `INTERPLAY_SKIP_BROWSER_TESTS=1` skips them instead, loudly, outside CI only.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.INTERPLAY_CHROMIUM ?? '/usr/bin/chromium';

/** The flags this machine needs: without the background-networking ones Chromium's connections are refused. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests are skipped, or `undefined` when they run (and fail if Chromium is missing). */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  if (process.env.INTERPLAY_SKIP_BROWSER_TESTS === '1' && process.env.CI !== 'true') {
    const reason = `SKIPPING the inspector's browser tests: no Chromium at ${CHROMIUM_PATH} (INTERPLAY_SKIP_BROWSER_TESTS=1)`;
    console.warn(`\n*** ${reason} ***\n`);
    return reason;
  }
  return undefined;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (.ci/run does), or set ` +
        'INTERPLAY_CHROMIUM to its path. INTERPLAY_SKIP_BROWSER_TESTS=1 skips these tests outside CI.',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'interplay-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1200, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

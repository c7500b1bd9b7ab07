/**
 * The steps-era SDKs every conformance suite runs: 3.1 (`@google/genai`) and 3.6 (`genai-3-6`), the same
 * tests on each; and the installed version behind each label, so a lockfile change cannot swap them unnoticed.
 */
import { readFileSync } from 'node:fs';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenAI as GoogleGenAI36 } from 'genai-3-6';
import { expect, it } from 'vitest';

export const STEPS_SDKS = [
  ['3.1', GoogleGenAI],
  ['3.6', GoogleGenAI36 as unknown as typeof GoogleGenAI],
] as const;

const SDK_PACKAGES: Record<string, string> = { '3.1': '@google/genai', '3.6': 'genai-3-6' };

export const sdkVersion = (label: string): string =>
  (
    JSON.parse(
      readFileSync(
        new URL(`../../node_modules/${SDK_PACKAGES[label]}/package.json`, import.meta.url),
        'utf8',
      ),
    ) as { version: string }
  ).version;

/** The test that the SDK behind a label is the version the label names. */
export function itIsSdk(version: string): void {
  it(`is SDK ${version}`, () =>
    expect(sdkVersion(version)).toMatch(new RegExp(`^${version.replace('.', '\\.')}\\.`)));
}

/**
 * Thought and thinking signatures, tagged with the model family that issued them. A signature is the upstream's
 * opaque proof of its own reasoning: it must go back to that upstream byte for byte, and only to it — Claude
 * cannot read Gemini's `thoughtSignature`, nor Gemini Claude's `signature`. So the server keeps each one as
 * `<family>[/<kind>]:<upstream bytes>` on the step (`thought.signature`, `function_call.signature`): a provider
 * opens only its own family's, exactly as received, and drops any other.
 *
 * Kinds say where the bytes go back: Gemini `gemini` (on the part the step replays as: a thought part, a
 * function call) and `gemini/next` (on the text part after the thought); Anthropic `anthropic` (a `thinking`
 * block's signature) and `anthropic/redacted` (a whole `redacted_thinking` block's `data`, kept opaque).
 *
 * @example
 * const stored = sealSignature('gemini', 'CsgBAXLI2n…');   // 'gemini:CsgBAXLI2n…'
 * openSignature('gemini', stored);                        // { kind: '', raw: 'CsgBAXLI2n…' }
 * openSignature('anthropic', stored);                     // undefined: not Claude's, never sent to it
 */

export type SignatureFamily = 'gemini' | 'anthropic';

export interface OpenedSignature {
  /** '' for the family's plain signature, else the kind after the `/` (`next`, `redacted`). */
  kind: string;
  /** The upstream's bytes, exactly as it sent them. */
  raw: string;
}

/** The signature as stored on a step. */
export function sealSignature(family: SignatureFamily, raw: string, kind = ''): string {
  return `${family}${kind ? `/${kind}` : ''}:${raw}`;
}

/** The upstream bytes of a stored signature of `family`, or undefined (absent, another family's, untagged). */
export function openSignature(family: SignatureFamily, stored: unknown): OpenedSignature | undefined {
  if (typeof stored !== 'string') return undefined;
  const colon = stored.indexOf(':');
  if (colon < 0) return undefined;
  const tag = stored.slice(0, colon);
  const [tagFamily, kind = ''] = tag.split('/', 2) as [string, string?];
  if (tagFamily !== family) return undefined;
  return { kind, raw: stored.slice(colon + 1) };
}

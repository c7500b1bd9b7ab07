/** One segment of a request path, percent-decoded the way every route table of the server reads ids. */

/** The decoded segment; `undefined` when it is empty or not valid percent-encoding (no route matches it). */
export function decodeSegment(segment: string): string | undefined {
  try {
    const s = decodeURIComponent(segment);
    return s === '' ? undefined : s;
  } catch {
    return undefined;
  }
}

/**
 * Whether a Node version satisfies the `>=MAJOR.MINOR` range of the root package.json's `engines.node`, and
 * the one line to print when it does not. Written for any Node still in use: no syntax newer than Node 12's.
 */

/** `undefined` when `found` (e.g. `20.20.2`) satisfies `range` (e.g. `>=22.13`), else the message. */
export function nodeVersionProblem(found, range, execPath) {
  const wanted = /^>=\s*(\d+)\.(\d+)/.exec(range);
  if (!wanted) throw new Error(`engines.node must be ">=MAJOR.MINOR", got "${range}"`);
  const major = Number(wanted[1]);
  const minor = Number(wanted[2]);
  const [foundMajor, foundMinor] = found.split('.').map(Number);
  if (foundMajor > major || (foundMajor === major && foundMinor >= minor)) return undefined;
  return `Interplay needs Node.js ${major}.${minor} or newer; this is Node.js ${found} (${execPath}).`;
}

/** `undefined` when `found` (e.g. `20.20.2`) satisfies `range` (e.g. `>=22.13`), else the one-line message. */
export function nodeVersionProblem(found: string, range: string, execPath: string): string | undefined;

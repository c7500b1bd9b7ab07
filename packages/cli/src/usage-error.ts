/** Command-line plumbing every subcommand shares: usage errors (exit 2), `--help`, flag parsing. */

/** A bad command line: the command prints the message and its usage, and exits 2. */
export class UsageError extends Error {}

/** Run `parse` (e.g. node:util parseArgs), turning its errors into usage errors. */
export function parseFlags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Parse a subcommand's configuration and run it: a usage error prints the message and the usage (exit 2),
 * `--help` prints the usage (exit 0), anything else runs `body`.
 */
export async function runCommand<C extends { help: boolean }>(
  name: string,
  usage: string,
  parseConfig: () => C,
  body: (config: C) => Promise<number>,
): Promise<number> {
  let config: C;
  try {
    config = parseConfig();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`interplay ${name}: ${err.message}\n\n${usage}`);
      return 2;
    }
    throw err;
  }
  if (config.help) {
    process.stdout.write(usage);
    return 0;
  }
  return body(config);
}

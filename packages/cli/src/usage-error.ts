/** Command-line plumbing every subcommand shares: usage errors (exit 2), `--help`, flag parsing. */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

/** A bad command line: the command prints the message and its usage, and exits 2. */
export class UsageError extends Error {}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * A subcommand's command line, read strictly: its `options` and `-h`/`--help`, positionals only when
 * `allowPositionals`. An unknown or malformed flag is a usage error.
 */
export function parseCommandLine<const O extends ParseArgsOptionsConfig, const P extends boolean>(
  args: string[],
  options: O,
  allowPositionals: P,
) {
  try {
    return parseArgs({ args, strict: true, allowPositionals, options: { ...options, ...HELP } });
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

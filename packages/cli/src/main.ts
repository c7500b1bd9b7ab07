#!/usr/bin/env node
/**
 * `interplay` — the command line. Subcommands live in their own files; this only dispatches.
 *   interplay serve [options]   run the self-hosted Interactions API (see `interplay serve --help`)
 *   interplay demo              the offline demo (coming)
 *   interplay run | watch       (coming)
 */
import { runDemo } from './demo.ts';
import { runServe } from './serve.ts';

const USAGE = `Usage: interplay <command> [options]

Commands:
  serve    Run the self-hosted Interactions API server (interplay serve --help)
  demo     Run the offline demo
  run      Run an agent against a server (not yet available)
  watch    Follow an interaction's events (not yet available)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServe(rest);
    case 'demo':
      return runDemo(rest);
    case 'run':
    case 'watch':
      process.stdout.write(`interplay ${command}: not yet available.\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`interplay: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`interplay: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

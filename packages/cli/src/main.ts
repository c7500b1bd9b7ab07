#!/usr/bin/env node
/**
 * `interplay` — the command line. Subcommands live in their own files; this only dispatches.
 *   interplay serve [options]     run the self-hosted Interactions API
 *   interplay run "prompt" [...]  create an interaction and show its progress
 *   interplay watch ID [...]      attach to an interaction and follow it to the end
 *   interplay demo [...]          the main demo (offline by default, live Gemini with GEMINI_API_KEY)
 */
// Each command is imported when it runs: `run` and `watch` need only the client, not the server.
import { startTelemetry } from './telemetry/sdk.ts';

const USAGE = `Usage: interplay <command> [options]

Commands:
  serve       Run the self-hosted Interactions API server
  run PROMPT  Create an interaction (a model or an agent), show its progress, print the answer
  watch ID    Attach to a running or finished interaction and follow it to the end
  demo        The main demo: typed tools, an MCP + code agent, Deep Research chained to a summary
              (offline on an embedded server; live Gemini when GEMINI_API_KEY is set)

Run \`interplay <command> --help\` for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return traced('interplay-serve', async () => (await import('./serve.ts')).runServe(rest));
    case 'demo':
      return traced('interplay-demo', async () => (await import('./demo/index.ts')).runDemo(rest));
    case 'run':
      return traced('interplay-run', async () => (await import('./run.ts')).runRun(rest));
    case 'watch':
      return (await import('./watch.ts')).runWatch(rest);
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

/**
 * Run a command with the OpenTelemetry SDK registered when an OTLP endpoint is configured (see
 * telemetry/sdk.ts), and its spans flushed before the command's exit code is returned.
 */
async function traced(serviceName: string, command: () => Promise<number>): Promise<number> {
  const telemetry = await startTelemetry(serviceName);
  try {
    return await command();
  } finally {
    await telemetry?.shutdown();
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

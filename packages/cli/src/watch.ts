/**
 * `interplay watch ID`: attach to a running (or finished) interaction. Its stream is replayed from the start
 * (`getStream`) and followed live, reconnecting from the last event_id after a drop and polling when the server
 * cannot stream (`client.wait`), until the interaction settles; then the final status and the answer.
 * Ctrl-C detaches and leaves the interaction running, unless `--cancel-on-exit`.
 */
import { describeFailure, follow, interruptOnSignal, isAbort } from './follow.ts';
import { ProgressPrinter } from './progress.ts';
import { revisionName } from './run.ts';
import { createClient, resolveTarget, TARGET_OPTIONS, TARGET_USAGE, type Target } from './target.ts';
import { parseCommandLine, runCommand, UsageError } from './usage-error.ts';

export const WATCH_USAGE = `Usage: interplay watch ID [options]

Attaches to an interaction (running or finished): replays its progress, follows it live until it ends, and
prints the final status (stderr) and the answer (stdout). Ctrl-C detaches; the interaction keeps running.

Options:
  --cancel-on-exit       Ctrl-C cancels the interaction instead of detaching.
${TARGET_USAGE}  -h, --help             Show this help.
`;

export interface WatchConfig {
  help: boolean;
  id: string;
  cancelOnExit: boolean;
  target: Target;
}

const WATCH_OPTIONS = {
  'cancel-on-exit': { type: 'boolean' },
  ...TARGET_OPTIONS,
} as const;

export function parseWatchArgs(args: string[], env: NodeJS.ProcessEnv = process.env): WatchConfig {
  const { values, positionals } = parseCommandLine(args, WATCH_OPTIONS, true);
  const help = values.help === true;
  if (!help && positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'an interaction id is required: interplay watch ID'
        : 'give one interaction id',
    );
  return {
    help,
    id: positionals[0] ?? '',
    cancelOnExit: values['cancel-on-exit'] === true,
    target: resolveTarget(values, env),
  };
}

export function runWatch(args: string[]): Promise<number> {
  return runCommand('watch', WATCH_USAGE, () => parseWatchArgs(args), runWatchWith);
}

async function runWatchWith(config: WatchConfig): Promise<number> {
  const { target, id } = config;
  const client = createClient(target);
  // Before the first line, so a Ctrl-C right after it already detaches cleanly.
  const interrupt = interruptOnSignal();
  process.stderr.write(`interplay watch ${id} → ${target.baseUrl} (${revisionName(target.revision)})\n`);
  const printer = new ProgressPrinter({
    stdout: process.stdout,
    stderr: process.stderr,
    label: id,
    attachHint: false,
  });
  try {
    const final = await follow(client, id, printer, {
      signal: interrupt.signal,
      cancelOnExit: config.cancelOnExit,
    });
    return printer.finish(final);
  } catch (err) {
    printer.stop();
    if (isAbort(err)) {
      process.stderr.write(
        config.cancelOnExit
          ? `cancelled interaction ${id}\n`
          : `detached: interaction ${id} keeps running · interplay watch ${id}\n`,
      );
      return 130;
    }
    process.stderr.write(`interplay watch: ${describeFailure(target, err)}\n`);
    return 1;
  } finally {
    interrupt.dispose();
  }
}

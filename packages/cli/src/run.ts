/**
 * `interplay run "prompt"`: create one interaction and show it happen — the answer streamed to stdout as it
 * arrives; the interaction id, status, thought summaries and tool steps on stderr — then a final status line.
 * Background runs (and agents, which the API runs only in the background) are followed with `client.wait`:
 * streamed, resumed from the last event_id after a drop, polled if streaming fails. Ctrl-C detaches from a
 * background run (it keeps running; `interplay watch ID` attaches again) unless `--cancel-on-exit`.
 */
import type { Revision, StepsCreateRequest } from '@interplay/protocol';
import { describeFailure, follow, interruptOnSignal, isAbort } from './follow.ts';
import { ProgressPrinter } from './progress.ts';
import { createClient, resolveTarget, TARGET_OPTIONS, TARGET_USAGE, type Target } from './target.ts';
import { type RunSpan, traceRunCommand } from './telemetry/run-span.ts';
import { parseCommandLine, runCommand, UsageError } from './usage-error.ts';

export const DEFAULT_MODEL = 'gemini-3-flash-preview';

export const RUN_USAGE = `Usage: interplay run "prompt" [options]

Creates an interaction, shows its progress and prints the answer (stdout) and the interaction id (stderr).

Options:
  --model M              Model to ask (default ${DEFAULT_MODEL}).
  --agent A              An agent instead, e.g. deep-research-pro-preview-12-2025 (runs in the background;
                         Deep Research is asked for thought summaries).
  --background           Run in the background and follow it (Ctrl-C detaches; interplay watch ID re-attaches).
  --cancel-on-exit       With --background: Ctrl-C cancels the interaction instead of detaching.
${TARGET_USAGE}  -h, --help             Show this help.
`;

export interface RunConfig {
  help: boolean;
  prompt: string;
  model: string | undefined;
  agent: string | undefined;
  background: boolean;
  cancelOnExit: boolean;
  target: Target;
}

const RUN_OPTIONS = {
  model: { type: 'string' },
  agent: { type: 'string' },
  background: { type: 'boolean' },
  'cancel-on-exit': { type: 'boolean' },
  ...TARGET_OPTIONS,
} as const;

export function parseRunArgs(args: string[], env: NodeJS.ProcessEnv = process.env): RunConfig {
  const { values, positionals } = parseCommandLine(args, RUN_OPTIONS, true);
  const help = values.help === true;
  const prompt = positionals.join(' ').trim();
  if (!help && prompt === '') throw new UsageError('a prompt is required: interplay run "your question"');
  if (values.model !== undefined && values.agent !== undefined)
    throw new UsageError('give --model or --agent, not both');
  if (values.model === '' || values.agent === '') throw new UsageError('--model and --agent need an id');
  const agent = values.agent;
  return {
    help,
    prompt,
    model: agent === undefined ? (values.model ?? DEFAULT_MODEL) : undefined,
    agent,
    background: values.background === true || agent !== undefined,
    cancelOnExit: values['cancel-on-exit'] === true,
    target: resolveTarget(values, env),
  };
}

/** The create body (the same fields in both revisions for a text prompt). */
export function runRequest(config: RunConfig): StepsCreateRequest {
  const body: Record<string, unknown> = { input: config.prompt };
  if (config.agent !== undefined) {
    body.agent = config.agent;
    if (config.agent.startsWith('deep-research'))
      body.agent_config = { type: 'deep-research', thinking_summaries: 'auto' };
  } else body.model = config.model;
  if (config.background) body.background = true;
  return body as unknown as StepsCreateRequest;
}

export function runRun(args: string[]): Promise<number> {
  return runCommand(
    'run',
    RUN_USAGE,
    () => parseRunArgs(args),
    (config) => traceRunCommand(config, (span) => runRunWith(config, span)),
  );
}

async function runRunWith(config: RunConfig, span: RunSpan): Promise<number> {
  const { target } = config;
  const client = createClient(target);
  // Before the first line, so a Ctrl-C right after it already detaches cleanly.
  const interrupt = interruptOnSignal();
  const who = config.agent ?? config.model ?? '';
  process.stderr.write(
    `interplay run → ${target.baseUrl} (${config.agent ? 'agent' : 'model'} ${who}, ${revisionName(target.revision)}` +
      `${config.background ? ', background' : ''})\n`,
  );
  const printer = new ProgressPrinter({ stdout: process.stdout, stderr: process.stderr, label: who });
  try {
    const body = runRequest(config);
    if (config.background) {
      // biome-ignore lint/suspicious/noExplicitAny: one body for either revision's client
      const started = await client.create(body as any, { signal: interrupt.signal });
      printer.announce(started.interaction.id, started.interaction.status);
      const final = await follow(client, started.interaction.id, printer, {
        signal: interrupt.signal,
        cancelOnExit: config.cancelOnExit,
      });
      span.finished(final);
      return printer.finish(final);
    }
    // biome-ignore lint/suspicious/noExplicitAny: one body for either revision's client
    const stream = await client.stream(body as any, { signal: interrupt.signal });
    for await (const { events } of stream) printer.push(events);
    const final = await stream.finalInteraction();
    span.finished(final);
    return printer.finish(final);
  } catch (err) {
    printer.stop();
    const id = printer.interactionId;
    if (isAbort(err)) {
      if (config.background && id)
        process.stderr.write(
          config.cancelOnExit
            ? `cancelled interaction ${id}\n`
            : `detached: interaction ${id} keeps running · interplay watch ${id}\n`,
        );
      else process.stderr.write('interrupted\n');
      return 130;
    }
    process.stderr.write(`interplay run: ${describeFailure(target, err)}\n`);
    return 1;
  } finally {
    interrupt.dispose();
  }
}

export const revisionName = (revision: Revision): string =>
  revision === 'legacy' ? 'legacy revision' : 'steps revision';

/**
 * `interplay demo` (`pnpm demo`): the three user flows, end to end.
 *   1. typed tools — a zod tool run by the core Runner;
 *   2. a multi-step agent — an MCP server attached client-side, and server-side Python;
 *   3. Deep Research in the background with live progress, and
 *   4. a model step chained to it by previous_interaction_id that summarizes the report.
 * Offline by default (an embedded Interplay server with a scripted model; everything else real), live Gemini
 * when GEMINI_API_KEY is set. Exit 0 when every part worked, 1 on an error, 2 on a usage error.
 */
import type { Revision } from '@interplay/protocol';
import { describeFailure, interruptOnSignal } from '../follow.ts';
import { seconds } from '../terminal.ts';
import { parseCommandLine, runCommand, UsageError } from '../usage-error.ts';
import { agentWithMcp } from './agent.ts';
import { type DemoEnv, startDemoEnv } from './env.ts';
import { DemoOutput } from './output.ts';
import { researchAndSummarize } from './research.ts';
import { typedTools } from './typed-tools.ts';

export const DEMO_USAGE = `Usage: interplay demo [options]

Runs the main demo: (1) typed tools, (2) a multi-step agent with an MCP server and code execution,
(3) Deep Research in the background with live progress, (4) a summary chained by previous_interaction_id.
Offline by default: an embedded Interplay server whose model is scripted; everything else is real.
With GEMINI_API_KEY set, the same flows run against live Gemini.

Options:
  --only PART        tools | agent | research (research includes the chained summary)
  --revision REV     Wire revision the client speaks: steps (default) or legacy.
  -h, --help         Show this help.
`;

const PARTS = ['tools', 'agent', 'research'] as const;
type Part = (typeof PARTS)[number];

export interface DemoConfig {
  help: boolean;
  parts: Part[];
  revision: Revision;
}

const DEMO_OPTIONS = {
  only: { type: 'string' },
  revision: { type: 'string' },
} as const;

export function parseDemoArgs(args: string[]): DemoConfig {
  const { values } = parseCommandLine(args, DEMO_OPTIONS, false);
  const only = values.only;
  if (only !== undefined && !(PARTS as readonly string[]).includes(only))
    throw new UsageError(`--only must be one of ${PARTS.join(', ')}, got '${only}'`);
  const revision = values.revision ?? 'steps';
  if (revision !== 'steps' && revision !== 'legacy')
    throw new UsageError(`--revision must be steps or legacy, got '${revision}'`);
  return { help: values.help === true, parts: only ? [only as Part] : [...PARTS], revision };
}

export function runDemo(args: string[]): Promise<number> {
  return runCommand('demo', DEMO_USAGE, () => parseDemoArgs(args), runDemoWith);
}

async function runDemoWith(config: DemoConfig): Promise<number> {
  const out = new DemoOutput(process.stdout);
  const started = Date.now();
  let env: DemoEnv;
  try {
    env = await startDemoEnv(config.revision);
  } catch (err) {
    process.stderr.write(
      `interplay demo: could not start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return 1;
  }
  out.title(
    env.offline
      ? `Interplay demo · offline: embedded Interactions server at ${env.baseUrl} · the model is scripted; ` +
          'HTTP, SSE, storage, tools, MCP, Python and the research are real (set GEMINI_API_KEY for live Gemini)'
      : `Interplay demo · live: Gemini API at ${env.baseUrl} · model ${env.model}, agent ${env.agent}`,
  );
  const interrupt = interruptOnSignal();
  let current: Part | undefined;
  try {
    for (const part of config.parts) {
      current = part;
      if (part === 'tools') await typedTools(env, out, interrupt.signal);
      else if (part === 'agent') await agentWithMcp(env, out, interrupt.signal);
      else await researchAndSummarize(env, out, interrupt.signal);
    }
    out.title(`\nDone in ${seconds(Date.now() - started)} (${config.revision} revision).`);
    return 0;
  } catch (err) {
    process.stdout.write('\n');
    if (interrupt.signal.aborted) {
      process.stderr.write('interplay demo: interrupted\n');
      return 130;
    }
    const failure = describeFailure({ baseUrl: env.baseUrl, source: 'flag' }, err);
    process.stderr.write(`interplay demo: the ${current} part failed: ${failure}\n`);
    return 1;
  } finally {
    interrupt.dispose();
    await env.close();
  }
}

/**
 * Runs every example (except examples/mcp/**, which has its own tests) as a child process, offline
 * (GEMINI_API_KEY removed), and checks its exit code and a key part of its output.
 *
 * Examples are discovered by listing the folders, so a new example without an expectation below fails the
 * "every example has an expectation" test instead of going untested.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const EXAMPLES = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(EXAMPLES, '..');
/** Folders that hold no examples (helpers, tests) or have their own tests (mcp). */
// `scratch`: git-ignored work folders, e.g. the docs' examples written there by scripts/test/doc-examples.test.ts.
const NOT_EXAMPLES = new Set(['_shared', 'test', 'mcp', 'node_modules', 'data', 'scratch']);
const CHILD_TIMEOUT_MS = 45_000;
/** At most this many examples run at once: they mostly wait on I/O, but code execution loads Python (CPU). */
const CONCURRENCY = Math.min(4, availableParallelism() + 2);

interface Expectation {
  /** Every one must appear in stdout. */
  contains: (string | RegExp)[];
  /** Further checks on stdout. */
  check?: (stdout: string) => void;
}

/** The JSON after `Parsed: ` on its own line. */
function parsedLine(stdout: string): unknown {
  const line = stdout.split('\n').find((l) => l.startsWith('Parsed: '));
  expect(line, 'a "Parsed: {...}" line').toBeDefined();
  return JSON.parse((line as string).slice('Parsed: '.length));
}

const moderationSchema = z.object({
  decision: z.union([
    z.object({
      reason: z.string(),
      spam_type: z.enum(['phishing', 'scam', 'unsolicited promotion', 'other']),
    }),
    z.object({ summary: z.string(), is_safe: z.boolean() }),
  ]),
});

const EXPECTATIONS: Record<string, Expectation> = {
  'seed/01-basic.ts': { contains: [/\(interaction v1_[\w-]+, status completed\)/, 'programmers'] },
  'seed/02-stateful-conversation.ts': { contains: ['Model: Your name is Phil.'] },
  'seed/03-get-interaction.ts': {
    contains: [/Retrieved v1_[\w-]+: status completed/, '"type": "user_input"', '"type": "model_output"'],
  },
  'seed/04-stateless-conversation.ts': {
    contains: ['Madrid, Barcelona, and Valencia', 'Sagrada Família', 'store: false'],
  },
  'seed/05-image-understanding.ts': {
    contains: [/image http:\/\/127\.0\.0\.1:\d+\/scene\.png \(image\/png\)/, 'I received your image'],
  },
  'seed/06-audio-understanding.ts': {
    contains: [/audio http:\/\/127\.0\.0\.1:\d+\/tone\.wav \(audio\/wav\)/, 'I received your audio'],
  },
  'seed/07-video-understanding.ts': {
    contains: ['Analyzing video...', /video http:\/\/127\.0\.0\.1:\d+\/clip\.mp4/, 'I received your video'],
  },
  'seed/08-document-understanding.ts': {
    contains: [
      /document http:\/\/127\.0\.0\.1:\d+\/report\.pdf \(application\/pdf\)/,
      'I received your document',
    ],
  },
  'seed/09-image-generation.ts': {
    contains: ['futuristic city'],
    check: (out) => expect(out.match(/Generated image with mime_type: image\/png/g)).toHaveLength(2),
  },
  'seed/10-speech-generation.ts': {
    contains: [/Generated audio with mime_type: audio\/\S+/, /Saved \d+\.\d+ s of audio/],
  },
  'seed/11-multi-speaker-speech.ts': {
    contains: [/Generated audio with mime_type: audio\/\S+/, 'Alice → Zephyr, Bob → Puck'],
  },
  'seed/12-deep-research-agent.ts': {
    contains: [
      /Research started\. Interaction ID: v1_\S+/,
      'Status: completed',
      'Final Report:',
      'TPU',
      'Sources:',
    ],
  },
  'seed/13-function-calling.ts': {
    contains: [
      'Tool Call: get_weather({"location":"Paris"})',
      'Response: Here is what I found: The weather in Paris is sunny.',
      'finish reason completed',
    ],
  },
  'seed/14-function-calling-client-state.ts': {
    contains: [
      'Function call: schedule_meeting with arguments',
      '"attendees":["Peter","Amir"]',
      'Meeting scheduled successfully.',
      'user_input → function_call → function_result → model_output',
    ],
  },
  'seed/15-google-search.ts': {
    contains: ['Searched: Who won the last Super Bowl?', 'https://gridiron.example/super-bowl/'],
  },
  'seed/16-code-execution.ts': {
    contains: ['def fib(n)', 'Result: "12586269025"', 'it printed: 12586269025'],
  },
  'seed/17-url-context.ts': {
    contains: [
      /Fetching: http:\/\/127\.0\.0\.1:\d+\/article\.html/,
      '→ success, title "The Interplay Gazette: local libraries lend out telescopes"',
      'twelve branch libraries',
      'status: success',
    ],
  },
  'seed/18-computer-use.ts': { contains: ['Action: navigate({"url":', 'Status: requires_action'] },
  'seed/19-structured-output.ts': {
    contains: ['Raw answer: {'],
    check: (out) => expect(moderationSchema.safeParse(parsedLine(out)).success).toBe(true),
  },
  'seed/20-tools-and-structured-output.ts': {
    contains: ['Searched: Who won the last euro?'],
    check: (out) =>
      expect(
        z.object({ winning_team: z.string(), score: z.string() }).safeParse(parsedLine(out)).success,
      ).toBe(true),
  },
  'seed/21-streaming.ts': {
    contains: [
      'Quantum entanglement',
      '--- Stream Finished ---',
      /Total Tokens: \d+/,
      /interaction v1_\S+ completed/,
    ],
    check: (out) => expect(Number(/\((\d+) deltas/.exec(out)?.[1])).toBeGreaterThan(1),
  },
  'seed/22-generation-config.ts': { contains: ['dragon', '"temperature":0.7', '"thinking_level":"low"'] },
  'seed/23-thinking.ts': {
    contains: [/Thinking: \S+/, /signature: \S+… \(\d+ chars\)/, 'Answer: 15% of 240 is 36.'],
  },
  'seed/24-remote-files.ts': {
    contains: [/Image: http:\/\/127\.0\.0\.1:\d+\/scene\.png/, 'I received your image'],
  },
  'seed/25-files-api.ts': {
    contains: [
      /Uploaded files\/\S+/,
      'State: ACTIVE',
      /uri: http:\/\/\S+\/files\//,
      'I received your image',
      'Deleted files/',
    ],
  },
  'sdk/01-basic.ts': { contains: ['programmers', 'status completed'] },
  'sdk/02-streaming.ts': {
    contains: ['Quantum entanglement', '--- Stream Finished ---', /Total Tokens: \d+/],
  },
  'sdk/03-function-calling.ts': {
    contains: [
      'Status: requires_action',
      'Tool Call: get_weather({"location":"Paris"})',
      'The weather in Paris is sunny.',
    ],
  },
  'sdk/04-stateful-conversation.ts': { contains: ['Model: Your name is Phil.', 'user_input, model_output'] },
  'flows/typed-tools-weather.ts': {
    contains: [
      '"enum": [',
      '← ok',
      '"temperature":18',
      'error (execution_error)',
      'No weather station for',
      '(completed after 2 steps',
    ],
  },
  'flows/multi-step-agent-approval.ts': {
    contains: [
      '(finish reason: interrupted)',
      '(approved automatically: not a terminal)',
      'booking reference IP-7731',
      /\(completed; \d+ model calls/,
    ],
    check: (out) => {
      // Both calls of step 1 started before either finished: they ran in parallel.
      const firstFinish = out.indexOf(') finished');
      expect(out.indexOf('get_weather(Paris) started')).toBeGreaterThan(-1);
      expect(out.indexOf('get_weather(Paris) started')).toBeLessThan(firstFinish);
      expect(out.indexOf('get_weather(Rome) started')).toBeLessThan(firstFinish);
    },
  },
  'agents/triage-handoff.ts': {
    contains: [
      '↪ handoff: triage → billing',
      'billing: Billing here: the second €20 charge',
      '↪ handoff: triage → support',
      'support: Support here: I sent a reset link',
      '(stateless) support: Support here',
      '(stateless) history kept by the client: user_input → function_call → function_result → model_output',
    ],
  },
  'agents/research-writer.ts': {
    contains: [
      "(researcher's first step: google_search_call → google_search_result → function_call)",
      'writer → publish({"title":"What we know about tide pools"})',
      '(paused: interrupted; waiting: writer/publish)',
      'Researcher: The article is out: {"title":"What we know about tide pools","url":"https://blog.example/what-we-know-about-tide-pools"}',
    ],
    check: (out) => {
      // The writer's events reached the researcher's stream, tagged with its name, before the researcher finished.
      expect(out.indexOf('writer finished: completed')).toBeLessThan(
        out.indexOf('researcher finished: completed'),
      );
    },
  },
  'agents/deployed-agent-sdk.ts': {
    contains: [
      'Deployed: tide-researcher (base gemini-3-flash-preview, tools google_search)',
      /Started v1_\S+: (in_progress|queued)/,
      'Status: completed',
      'Steps: user_input → google_search_call → google_search_result → model_output',
      'Answer: From the search: ',
    ],
  },
  'agents/guardrail-trips.ts': {
    contains: [
      'Tripped (input): no_transfers_in_chat — "transfers need the banking app" [input_guardrail_tripped]',
      'Tripped (output): no_phone_numbers',
      '[output_guardrail_tripped]',
      'transfer_money ran 0 times',
    ],
  },
};

function discover(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!NOT_EXAMPLES.has(entry.name)) found.push(...discover(join(dir, entry.name)));
    } else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      found.push(relative(EXAMPLES, join(dir, entry.name)).split(sep).join('/'));
    }
  }
  return found.sort();
}

/** A tiny semaphore so at most CONCURRENCY children run at once, whatever vitest schedules. */
let running = 0;
const queue: (() => void)[] = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= CONCURRENCY) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    queue.shift()?.();
  }
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runExample(file: string): Promise<ChildResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GEMINI_MODEL', 'EXAMPLE_VIDEO_URL'])
    delete env[name];
  // Node ≥ 23.6 strips types by default; 22.x needs the flag.
  const flags = process.features.typescript ? [] : ['--experimental-strip-types'];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, join(EXAMPLES, file)], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const files = discover(EXAMPLES);

describe('examples', () => {
  it('every example has an expectation, and every expectation an example', () => {
    expect(
      files.filter((f) => !(f in EXPECTATIONS)),
      'examples without an expectation',
    ).toEqual([]);
    expect(
      Object.keys(EXPECTATIONS).filter((f) => !files.includes(f)),
      'expectations without an example',
    ).toEqual([]);
  });

  for (const file of files) {
    it.concurrent(
      file,
      async () => {
        const result = await limited(() => runExample(file));
        const report = `node examples/${file} → exit ${result.code ?? result.signal} in ${result.ms} ms\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
        expect(result.code, report).toBe(0);
        expect(result.stdout, report).toContain('[offline]');
        const expectation = EXPECTATIONS[file];
        if (!expectation) return; // reported by the test above
        for (const phrase of expectation.contains) {
          if (typeof phrase === 'string') expect(result.stdout, report).toContain(phrase);
          else expect(result.stdout, report).toMatch(phrase);
        }
        expectation.check?.(result.stdout);
      },
      CHILD_TIMEOUT_MS * 3,
    );
  }
});

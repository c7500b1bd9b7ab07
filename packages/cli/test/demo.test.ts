/** `interplay demo`, offline, as a child process: every part's key result, exit 0. */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function demo(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.GEMINI_API_KEY; // offline
  const child = spawn(process.execPath, [join(ROOT, 'packages/cli/src/main.ts'), 'demo', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((r) => child.once('exit', (code) => r({ code, stdout, stderr })));
}

describe('interplay demo (offline)', () => {
  it('runs the four parts and exits 0', async () => {
    const started = Date.now();
    const { code, stdout, stderr } = await demo();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(stdout).toMatch(
      /^Interplay demo · offline: embedded Interactions server at http:\/\/127\.0\.0\.1:\d+ · the model is scripted/,
    );

    // 1. typed tools: the call, its typed result, the answer.
    expect(stdout).toContain('━━ 1. Typed tools');
    expect(stdout).toContain('→ tool call   get_weather({"location":"Paris"})');
    expect(stdout).toContain('← tool result {"location":"Paris","temperature":18,"unit":"celsius"');
    expect(stdout).toContain('model: In Paris it is 18 degrees celsius and cloudy, with wind at 12 km/h.');

    // 2. the agent: two MCP calls in one step, in parallel; Python really ran.
    expect(stdout).toContain('━━ 2. Multi-step agent');
    expect(stdout).toMatch(
      /→ get_weather\(\{"location":"Paris"\}\) via MCP[\s\S]*→ get_weather\(\{"location":"Tokyo"\}\) via MCP/,
    );
    expect(stdout).toMatch(/← get_weather: Tokyo: \d+ °C/);
    expect(stdout).toContain('(the 2 calls of step 1 ran in parallel)');
    expect(stdout).toContain('⚙ code_execution (python, run by the server):');
    expect(stdout).toContain('= fib(30) = 832040');
    expect(stdout).toContain('Python computed the 30th Fibonacci number: fib(30) = 832040.');

    // 3. Deep Research in the background, with progress.
    expect(stdout).toContain('━━ 3. Deep Research in the background');
    expect(stdout).toMatch(/background interaction v1_\S+ \(create returned at once/);
    expect(stdout).toMatch(/thought: Planning the research/);
    expect(stdout).toMatch(/→ google_search: "history of Google TPUs"/);
    expect(stdout).toMatch(
      /✓ completed · 3 searches \(\d+ hits\) · 5 pages read · report [\d.]+k chars · [\d.]+s/,
    );

    // 4. the report's first lines with its sources and citations, then the chained summary.
    expect(stdout).toContain('│ ## Research the history of Google TPUs.');
    expect(stdout).toMatch(/sources \(5\):\n {4}\[1\] .+ — https:\/\/techhistory\.example\//);
    expect(stdout).toMatch(
      /citations: \d+ url_citation annotations, e\.g\. ".+" → https:\/\/techhistory\.example\//,
    );
    expect(stdout).toContain('━━ 4. Summary, chained');
    expect(stdout).toMatch(/summary: Summary of the research report:\n {2}- /);
    expect(stdout).toMatch(/summarize = interaction v1_\S+, previous_interaction_id v1_/);
    expect(stdout).toMatch(/Done in [\d.]+s \(steps revision\)\.\n$/);
  }, 120_000);
});

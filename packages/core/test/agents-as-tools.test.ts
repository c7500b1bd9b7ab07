/**
 * Agents as tools over the REAL Interactions server (127.0.0.1, scripted model): the sub-agent runs in its
 * own interaction chain, its answer (typed with an output type) is the call's result, its events reach the
 * parent's stream tagged with its name, and an approval inside it pauses the whole run — resumed here and
 * in a second Node process from the serialized state.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, type RunEvent, Runner, RunState, run } from '../src/index.ts';
import { clientAt, MODEL, published, RULES, researcher } from './agents/fixtures.ts';
import { type ScriptedServer, startScriptedServer } from './agents/server.ts';

const TYPED_RULES = [
  {
    name: 'analyst asks the summarizer',
    when: { input: 'analyse (?<topic>\\w+)', tools: ['summarize'], last: 'user_input' },
    respond: [{ type: 'function_call', name: 'summarize', arguments: { input: 'Summarize {{topic}}' } }],
  },
  {
    name: 'analyst answers',
    when: { tools: ['summarize'], last: 'function_result' },
    respond: 'Got {{last.result}}',
  },
  {
    name: 'summarizer answers in JSON',
    when: { input: 'Summarize', schema: true },
    respond: [{ type: 'json', value: { title: 'Tides', points: 3 } }],
  },
];

let srv: ScriptedServer;
beforeAll(async () => {
  srv = await startScriptedServer([...RULES, ...TYPED_RULES]);
});
afterAll(async () => {
  await srv?.close();
});

/** Runs `node resume-child.ts <url>` with the state on stdin; its one JSON line, parsed. */
function resumeInChild(stateJson: string): Promise<Record<string, unknown>> {
  const script = fileURLToPath(new URL('./agents/resume-child.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, srv.url], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`child exited ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}'));
    });
    child.stdin.end(stateJson);
  });
}

describe('agents as tools', () => {
  it('a sub-agent answers in its own chain; its typed output is the result; its events are tagged', async () => {
    const summarizer = new Agent({
      name: 'summarizer',
      instructions: 'Summarize as JSON.',
      outputType: z.object({ title: z.string(), points: z.number() }),
    });
    const analyst = new Agent({
      name: 'analyst',
      instructions: 'Use the summarizer.',
      tools: [summarizer.asTool({ name: 'summarize', description: 'Summarizes a topic.' })],
    });
    const runner = new Runner({ client: clientAt(srv.url), model: MODEL });
    const handle = runner.start(analyst, 'analyse tides');
    const events: RunEvent[] = [];
    for await (const event of handle.events()) events.push(event);
    const result = await handle.result;

    expect(result.finishReason).toBe('completed');
    expect(result.text).toBe('Got {"title":"Tides","points":3}');
    expect(result.lastAgent).toBe(analyst);
    const call = result.steps[0]?.toolResults[0];
    expect(call?.result).toEqual({ title: 'Tides', points: 3 });
    const sub = events.filter((e) => e.agent === 'summarizer').map((e) => e.type);
    expect(sub).toEqual(['run_start', 'step_start', 'status_change', 'step_finish', 'run_finish']);
    // The sub-agent's events come while its call runs: after the parent's tool_call, before its tool_result.
    const order = events.map((e) => `${e.agent ?? ''}${e.type}`);
    expect(order.indexOf('tool_call')).toBeLessThan(order.indexOf('summarizerrun_start'));
    expect(order.indexOf('summarizerrun_finish')).toBeLessThan(order.indexOf('tool_result'));
    // Its own chain: the summarizer's interaction does not continue the analyst's.
    const subStep = events.find((e) => e.agent === 'summarizer' && e.type === 'step_finish');
    const subId = subStep?.type === 'step_finish' ? subStep.result.interactionId : undefined;
    const parent = await clientAt(srv.url).get(subId ?? '');
    expect(parent.interaction.previous_interaction_id).toBeUndefined();
  });

  it('an approval inside the sub-agent pauses the whole run; approving it resumes the sub-agent', async () => {
    published.length = 0;
    const paused = await run(researcher, 'research tides', { client: clientAt(srv.url), model: MODEL });
    expect(paused.finishReason).toBe('interrupted');
    expect(published).toEqual([]);
    expect(paused.interruptions).toEqual([
      expect.objectContaining({
        toolName: 'publish',
        agent: 'writer',
        arguments: { title: 'All about tides' },
      }),
    ]);
    const state = RunState.fromJSON(JSON.stringify(paused.state));
    for (const p of state.interruptions) state.approve(p.callId);
    const done = await run(researcher, state, { client: clientAt(srv.url), model: MODEL });
    expect(published).toEqual(['All about tides']);
    expect(done.finishReason).toBe('completed');
    expect(done.text).toBe('Research done. The writer says: Writer: published "All about tides"');
  });

  it('a rejected sub-agent call reaches the sub-agent’s model as a rejection', async () => {
    published.length = 0;
    const paused = await run(researcher, 'research storms', { client: clientAt(srv.url), model: MODEL });
    const pending = paused.interruptions[0];
    paused.state.reject(pending?.callId ?? '', 'not today');
    const done = await run(researcher, paused.state, { client: clientAt(srv.url), model: MODEL });
    expect(published).toEqual([]);
    expect(done.text).toContain('not today');
  });

  it('resumes a sub-agent approval in another Node process from the serialized state', async () => {
    published.length = 0;
    const paused = await run(researcher, 'research volcanoes', { client: clientAt(srv.url), model: MODEL });
    expect(paused.finishReason).toBe('interrupted');
    const json = JSON.stringify(paused.state);
    expect(JSON.parse(json)).toMatchObject({
      schemaVersion: 3,
      agent: 'researcher',
      calls: [{ status: 'awaiting_approval', nested: { agent: 'writer', state: { agent: 'writer' } } }],
    });

    const child = await resumeInChild(json);
    expect(published).toEqual([]); // nothing ran in this process
    expect(child).toMatchObject({
      approved: ['writer/publish'],
      published: ['All about volcanoes'],
      finishReason: 'completed',
      text: 'Research done. The writer says: Writer: published "All about volcanoes"',
      lastAgent: 'researcher',
    });
    expect(child.tagged).toEqual(
      expect.arrayContaining(['writer:run_start', 'writer:tool_result', 'writer:run_finish', '-:run_finish']),
    );
  });
});

/**
 * A second process: reads a serialized run state (stdin) and the server's URL (argv), approves every
 * pending call, resumes the run with the same agents defined afresh in this process, and prints the
 * outcome as one JSON line.
 */
import { Runner, RunState } from '../../src/index.ts';
import { clientAt, MODEL, published, researcher } from './fixtures.ts';

const [url] = process.argv.slice(2);
let json = '';
for await (const chunk of process.stdin) json += chunk;
const state = RunState.fromJSON(json);
const pending = state.interruptions;
for (const p of pending) state.approve(p.callId);
const runner = new Runner({ client: clientAt(url ?? ''), model: MODEL });
const tagged: string[] = [];
const run = runner.start(researcher, state);
for await (const event of run.events()) tagged.push(`${event.agent ?? '-'}:${event.type}`);
const result = await run.result;
console.log(
  JSON.stringify({
    approved: pending.map((p) => `${p.agent}/${p.toolName}`),
    published,
    finishReason: result.finishReason,
    text: result.text,
    lastAgent: result.lastAgent.name,
    tagged,
  }),
);

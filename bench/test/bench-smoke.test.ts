/**
 * Smoke test of the benchmark harness: every scenario runs in quick mode on a tiny size (one Interplay server
 * process shared where a scenario accepts it) and must really do what it claims — counted at the server or
 * read back from its store. No timing assertions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchServer, startInterplay } from '../src/lib/servers.ts';
import { SCENARIOS } from '../src/scenarios/index.ts';
import type { ScenarioResult } from '../src/scenarios/types.ts';

let server: BenchServer;
beforeAll(async () => {
  server = await startInterplay();
});
afterAll(async () => {
  await server?.close();
});

async function quick(name: string): Promise<ScenarioResult> {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  const result = await scenario.run({ quick: true, log: () => {}, interplay: server });
  for (const [key, value] of Object.entries(result.figures)) {
    expect(Number.isFinite(value), `${name}: figure ${key} = ${value}`).toBe(true);
  }
  expect(result.table.length).toBeGreaterThan(1);
  return result;
}

// Concurrent: the scenarios tag what they send, so the shared server's counts stay apart; waiting for one
// scenario's processes to start overlaps with the others' work.
describe.concurrent('bench harness (quick mode)', () => {
  it('tool-loop: every variant makes 1 + 10 chained POSTs, 10 of them carrying a function_result', async () => {
    const { evidence } = await quick('tool-loop');
    for (const variant of ['raw', 'sdk', 'runner']) {
      expect(evidence[variant], variant).toEqual({
        postsPerRound: 11,
        chainLength: 11,
        postsWithUserInput: 1,
        postsWithFunctionResult: 10,
        chainedPosts: 10,
        toolRunsLastRound: 10,
        outputs: ['function_call'],
      });
    }
  });

  it('parallel-tools: one step with N calls, all running at once, then the answer', async () => {
    const { evidence } = await quick('parallel-tools');
    expect(evidence).toEqual({
      finishReason: 'completed',
      text: 'done',
      modelCalls: 2,
      callsInStep1: 3,
      resultsInStep1: 3,
      toolsStarted: 3,
      peakConcurrency: 3,
    });
  });

  it('server-create: every request sent reaches its server; Interplay and the floor store each one', async () => {
    const { evidence } = await quick('server-create');
    const sent = evidence.clientSent as { interplay: number; floor: number; bare: number };
    expect(sent.interplay).toBeGreaterThan(0);
    expect(sent.floor).toBeGreaterThan(0);
    expect(sent.bare).toBeGreaterThan(0);
    expect(evidence.serverPosts).toEqual(sent);
    expect(evidence.statementsPerCreate).toBeGreaterThan(0);
    // The floor's group commit: one INSERT per create plus BEGIN/COMMIT shared by a batch.
    expect(evidence.floorStatementsPerCreate).toBeGreaterThanOrEqual(1);
    expect(evidence.storedSample).toEqual([{ status: 'completed', output: ['model_output'] }]);
  });

  it('streaming: streamed creates and full replays of the stored log', async () => {
    const { evidence } = await quick('streaming');
    expect(evidence.firstStream).toEqual({
      events: expect.any(Number),
      firstEventType: 'interaction.created',
      done: true,
    });
    expect(evidence.longInteraction).toMatchObject({ status: 'completed', words: 50 });
    const replays = evidence.replayEvents as number[];
    expect(replays.length).toBeGreaterThan(1);
    expect(new Set(replays).size).toBe(1);
    expect(replays[0]).toBeGreaterThan(50); // one event per word delta, plus the lifecycle events
    expect(evidence.replayFirstEventType).toBe('interaction.created');
  });

  it('chains: turn N continues a stored chain of N-1 turns; statements are counted per turn', async () => {
    const { evidence } = await quick('chains');
    expect(evidence.chainLength).toBe(20);
    expect(evidence.linked).toBe(true);
    const statements = evidence.statementsPerTurn as Record<string, number[]>;
    for (const counts of Object.values(statements)) for (const n of counts) expect(n).toBeGreaterThan(0);
    // The model was given the whole history: input grows with the depth.
    const tokens = evidence.inputTokensAtDepth as Record<string, number>;
    expect(tokens['1']).toBeLessThan(tokens['5'] as number);
    expect(tokens['5']).toBeLessThan(tokens['20'] as number);
  });

  it('memory: N background interactions really in progress; N run loops really inside their tool', async () => {
    const { evidence } = await quick('memory');
    expect(evidence.server).toEqual({
      created: 20,
      running: 20,
      statuses: { '200 in_progress': 20 },
      afterSampling: { in_progress: 20 },
    });
    expect(evidence.client).toMatchObject({
      inside: 20,
      released: { runs: 20, reasons: { completed: 20 }, toolResults: 20 },
    });
  });
});

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
// Each scenario starts several processes; on a loaded two-core machine that alone can take tens of seconds.
describe.concurrent('bench harness (quick mode)', { timeout: 180_000 }, () => {
  it('tool-loop: every loop makes 11 POSTs and runs its tool 10 times; the AI SDK resends the conversation', async () => {
    const { evidence } = await quick('tool-loop');
    for (const variant of ['raw', 'sdk', 'runner']) {
      expect(evidence[variant], variant).toEqual({
        postsPerRound: 11,
        chainLength: 11,
        postsWithUserInput: 1,
        postsWithFunctionResult: 10,
        chainedPosts: 10,
        functionResultsInLastPost: 1,
        toolRunsLastRound: 10,
        outputs: ['function_call'],
      });
    }
    // No previous_interaction_id: the last POST carries the whole conversation, every result in it.
    expect(evidence.aisdk).toEqual({
      postsPerRound: 11,
      chainLength: 1,
      postsWithUserInput: 1,
      postsWithFunctionResult: 1,
      chainedPosts: 0,
      functionResultsInLastPost: 10,
      toolRunsLastRound: 10,
      outputs: ['function_call'],
    });
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

  it('server-create: every server gets the requests counted for it; Interplay stores the agent body', async () => {
    const { evidence, figures } = await quick('server-create');
    const counted = evidence.sentVsCounted as Record<string, boolean>;
    expect(Object.keys(counted)).toHaveLength(10); // 2 bodies × 5 servers
    for (const [key, ok] of Object.entries(counted)) expect(ok, key).toBe(true);
    expect(evidence.storedAgentSample).toEqual([
      { status: 'completed', input: ['user_input'], output: ['model_output'] },
    ]);
    for (const key of [
      'agent.interplay.cpu_us_per_req',
      'agent.floor_full.cpu_us_per_req',
      'cheap.bare.busy',
    ]) {
      expect(figures[key], key).toBeGreaterThan(0);
    }
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

  it('stream-fanout: every stream of both servers ends, each with the same events', async () => {
    const { evidence } = await quick('stream-fanout');
    expect(evidence.deltasCaptured).toBe(50);
    const perStream = evidence.capturedEvents as number;
    expect(evidence.eventsPerStream).toEqual({ interplay: [perStream], bare: [perStream] });
    expect(evidence.completed).toEqual({ interplay: [8], bare: [8] });
  });

  it('chains: turn N continues a stored chain of N-1 turns, with and without the history cache', async () => {
    const { evidence } = await quick('chains');
    expect(evidence.chainLength).toEqual({ cached: 20, uncached: 20 });
    expect(evidence.linked).toEqual({ cached: true, uncached: true });
    const statements = evidence.statementsPerTurn as Record<'cached' | 'uncached', Record<string, number[]>>;
    for (const series of Object.values(statements)) {
      for (const counts of Object.values(series)) for (const n of counts) expect(n).toBeGreaterThan(0);
    }
    // Without the cache a continued turn reads its chain from the store: more statements than a first turn
    // (which reads no history). Checked on the uncached server alone: it is the scenario's own, where the
    // cached one here is shared with the scenarios running beside it, whose writes land in its windows.
    const firstTurn = Math.max(...(statements.uncached['1'] as number[]));
    for (const depth of ['5', '20']) {
      for (const n of statements.uncached[depth] as number[]) expect(n).toBeGreaterThan(firstTurn);
    }
    // The model was given the whole history on both servers: input grows with the depth.
    const tokens = evidence.inputTokensAtDepth as Record<'cached' | 'uncached', Record<string, number>>;
    for (const series of [tokens.cached, tokens.uncached]) {
      expect(series['1']).toBeLessThan(series['5'] as number);
      expect(series['5']).toBeLessThan(series['20'] as number);
    }
    expect(tokens.uncached).toEqual(tokens.cached);
  });

  it('conversations: every chain gets a turn per round on every server, reading its whole history', async () => {
    const { evidence, figures } = await quick('conversations');
    // 20 chains × 4 turns on each server; after the restart, turn 5 in four batches of 5 chains on every
    // server, each next to the first turns of 5 new chains.
    expect(evidence.turnsPerServer).toEqual({
      interplay: [20, 20, 20, 20],
      interplay_full: [20, 20, 20, 20],
      floor: [20, 20, 20, 20],
    });
    const batches = { interplay: [5, 5, 5, 5], interplay_full: [5, 5, 5, 5], floor: [5, 5, 5, 5] };
    expect(evidence.coldTurnsPerServer).toEqual(batches);
    expect(evidence.coldFirstTurnsPerServer).toEqual(batches);
    for (const turns of Object.values(evidence.coldTurns as Record<string, number[]>)) {
      expect(turns).toEqual([5, 5, 5, 5]);
    }
    // Before the continued turns in one batch of each pair and after them in the other.
    for (const [server, before] of Object.entries(
      evidence.coldFirstTurnsBefore as Record<string, boolean[]>,
    )) {
      expect(before[0], server).not.toBe(before[1]);
      expect(before[2], server).not.toBe(before[3]);
    }
    expect(evidence.firstChain).toEqual({ length: 5, linked: true });
    // The floor was restarted on its own file: turn 5 continued the chain stored before.
    expect(evidence.floorFirstChain).toEqual({ length: 5, linked: true });
    for (const server of ['interplay', 'floor']) {
      expect(figures[`${server}.cold.ratio_cpu`], server).toBeGreaterThan(0);
    }
    expect(evidence.inputTokensGrow).toBe(true);
    // Every round, on every server, 5 new chains get their first turn (no history read) next to the round.
    expect(evidence.firstTurnsPerServer).toEqual({
      interplay: [5, 5, 5, 5],
      interplay_full: [5, 5, 5, 5],
      floor: [5, 5, 5, 5],
    });
    expect(evidence.newChainsReadNoHistory).toBe(true);
    // Before the continued turns in one round of each pair and after them in the other.
    for (const [server, before] of Object.entries(evidence.firstTurnsBefore as Record<string, boolean[]>)) {
      expect(before[0], server).not.toBe(before[1]);
      expect(before[2], server).not.toBe(before[3]);
    }
    // Turn 4 against the first turns of its own round, for Interplay and the floor alike; and against round 1.
    for (const server of ['interplay', 'interplay_full', 'floor']) {
      for (const figure of ['same_round.ratio_p50', 'same_round.ratio_cpu', 'vs_round1.ratio_cpu']) {
        expect(figures[`${server}.turn4.${figure}`], `${server}.turn4.${figure}`).toBeGreaterThan(0);
      }
      expect(figures[`${server}.turns2_4.same_round.median_ratio_cpu`]).toBeGreaterThan(0);
      expect((evidence.sameRoundRatios as Record<string, { cpu: number[] }>)[server]?.cpu).toHaveLength(4);
    }
  });

  it('memory: N background interactions really in progress; N run loops really inside their tool', async () => {
    const { evidence, figures } = await quick('memory');
    for (const start of ['server', 'server_cold']) {
      expect(evidence[start], start).toEqual({
        created: 20,
        running: 20,
        statuses: { '200 in_progress': 20 },
        afterSampling: { in_progress: 20 },
      });
    }
    // `interplay serve` from the build (read from /proc: it counts nothing for the bench).
    expect(evidence.server_built).toEqual({
      created: 20,
      statuses: { '200 in_progress': 20 },
      afterSampling: { in_progress: 20 },
    });
    expect(figures['server_built.idle_rss_mb']).toBeGreaterThan(30); // a Node process's RSS, read from /proc
    expect(evidence.client).toMatchObject({
      inside: 20,
      released: { runs: 20, reasons: { completed: 20 }, toolResults: 20 },
    });
  });

  it('replicas: creates reach both Postgres replicas; the chain alternating between them is linked', async () => {
    const { evidence } = await quick('replicas');
    // Quick mode: 10 creates sent to each replica.
    expect(evidence.createsPerReplica).toEqual([10, 10]);
    expect(evidence).toMatchObject({ chainLength: 4, linked: true });
  });

  it('hostile: the health check is probed at rest and while the hostile requests run on a real serve', async () => {
    const { evidence, figures } = await quick('hostile');
    expect(evidence).toMatchObject({ probesAtRest: 20, wordLength: 3_000, rounds: 1 });
    expect(evidence.probesDuring).toBeGreaterThan(0);
    expect(figures['health.during.max_ms']).toBeGreaterThan(0);
    expect(Number.isFinite(figures['server.growth_mb'])).toBe(true);
  });
});

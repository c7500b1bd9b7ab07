/**
 * Chains: latency of the Nth turn of a `previous_interaction_id` chain, N = 1, 100, 1,000, on two servers: one
 * with the history cache (its default) and one without, where every continued turn reads its chain from the
 * store — the path a server with more live conversations than its cache, or one just restarted, is on. A
 * chain of 1,000 turns is built once on each; then, in interleaved rounds, a new turn is created after turn
 * N-1 (a branch, so the chain itself stays as built and every sample continues the same history of N-1
 * turns). Also the store's statement count per turn, read from the server process around each sample.
 */
import { Agent, request } from 'undici';
import { MODEL } from '../lib/scripts.ts';
import { type BenchServer, startInterplay, useInterplay } from '../lib/servers.ts';
import { fmt, median, p95, pushTo, ratio, rotate } from '../lib/stats.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

/** The two servers: `cached` keeps its figures' old names (`turnN.*`), `uncached` is prefixed. */
const SERIES = ['cached', 'uncached'] as const;
type Series = (typeof SERIES)[number];

interface Samples {
  latency: Record<number, number[]>;
  statements: Record<number, number[]>;
  inputTokens: Record<number, number>;
}

export const chains: Scenario = {
  name: 'chains',
  title: 'Chains: latency of turn N of a previous_interaction_id chain (N = 1, 100, 1,000), cached and not',
  async run({ quick, log, interplay: given }: ScenarioOptions): Promise<ScenarioResult> {
    const depths = quick ? [1, 5, 20] : [1, 100, 1000];
    const samples = quick ? 3 : 60;
    const warmup = quick ? 1 : 5;
    const servers: Partial<Record<Series, BenchServer>> = {};
    const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
    const turn = async (
      server: BenchServer,
      input: string,
      previous?: string,
    ): Promise<{ id: string; ms: number; historyItems: number }> => {
      const body = JSON.stringify({
        model: MODEL,
        input,
        ...(previous ? { previous_interaction_id: previous } : {}),
      });
      const t0 = performance.now();
      const res = await request(`${server.url}/v1beta/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        dispatcher,
      });
      const json = (await res.body.json()) as { id: string; usage?: { total_input_tokens?: number } };
      const ms = performance.now() - t0;
      if (res.statusCode !== 200) throw new Error(`turn: HTTP ${res.statusCode} ${JSON.stringify(json)}`);
      return { id: json.id, ms, historyItems: json.usage?.total_input_tokens ?? 0 };
    };
    try {
      servers.cached = await useInterplay(given);
      servers.uncached = await startInterplay({ noHistoryCache: true });
      const maxDepth = depths.at(-1) as number;
      const ids = {} as Record<Series, string[]>;
      const figures: Record<string, number> = {};
      for (const series of SERIES) {
        const server = servers[series] as BenchServer;
        log(`  building a chain of ${maxDepth.toLocaleString('en-US')} turns (${series})…`);
        const chain: string[] = [];
        const buildStart = performance.now();
        for (let n = 1; n <= maxDepth; n++) chain.push((await turn(server, `turn ${n}`, chain.at(-1))).id);
        figures[series === 'cached' ? 'build_ms' : 'uncached.build_ms'] = performance.now() - buildStart;
        ids[series] = chain;
      }

      const seen: Record<Series, Samples> = {
        cached: { latency: {}, statements: {}, inputTokens: {} },
        uncached: { latency: {}, statements: {}, inputTokens: {} },
      };
      for (let r = 0; r < warmup + samples; r++) {
        for (const n of rotate(depths, r)) {
          for (const series of rotate([...SERIES], r)) {
            const server = servers[series] as BenchServer;
            const before = await server.stats({ settle: 2 });
            const t = await turn(server, `branch at ${n}`, n === 1 ? undefined : ids[series][n - 2]);
            const after = await server.stats({ settle: 2 });
            if (r < warmup) continue;
            pushTo(seen[series].latency, n, t.ms);
            pushTo(seen[series].statements, n, after.statements - before.statements);
            seen[series].inputTokens[n] = t.historyItems;
          }
        }
      }
      const table: string[][] = [['turn N', 'cache', 'median ms', 'p95 ms', 'statements/turn', 'vs turn 1']];
      for (const series of SERIES) {
        const { latency, statements } = seen[series];
        const prefix = series === 'cached' ? '' : 'uncached.';
        const base = median(latency[1] ?? []);
        for (const n of depths) {
          const l = latency[n] ?? [];
          figures[`${prefix}turn${n}.median_ms`] = median(l);
          figures[`${prefix}turn${n}.p95_ms`] = p95(l);
          figures[`${prefix}turn${n}.statements`] = median(statements[n] ?? []);
          figures[`${prefix}turn${n}.ratio`] = ratio(median(l), base);
          table.push([
            String(n),
            series === 'cached' ? 'on' : 'off',
            fmt(median(l)),
            fmt(p95(l)),
            fmt(median(statements[n] ?? [])),
            fmt(ratio(median(l), base)),
          ]);
        }
      }
      // What each server stored for its deepest chain: every link continues the previous one.
      const stored = {} as Record<Series, Awaited<ReturnType<BenchServer['chain']>>>;
      for (const series of SERIES) {
        stored[series] = await (servers[series] as BenchServer).chain(ids[series].at(-1) as string);
      }
      const top = depths.at(-1) as number;
      return {
        name: 'chains',
        title: chains.title,
        figures,
        table,
        targets: quick
          ? []
          : [
              target(
                `turn ${top} latency vs turn 1 (median), history cache on`,
                figures[`turn${top}.ratio`] as number,
                'max',
                1.2,
                '×',
              ),
            ],
        evidence: {
          chainLength: Object.fromEntries(SERIES.map((s) => [s, stored[s].length])),
          linked: Object.fromEntries(
            SERIES.map((s) => [
              s,
              stored[s].every((l, i) =>
                i === 0 ? l.previousId === undefined : l.previousId === stored[s][i - 1]?.id,
              ),
            ]),
          ),
          statementsPerTurn: Object.fromEntries(
            SERIES.map((s) => [s, Object.fromEntries(depths.map((n) => [n, seen[s].statements[n]]))]),
          ),
          // The scripted model counts one input token per word of the whole conversation it was given.
          inputTokensAtDepth: Object.fromEntries(SERIES.map((s) => [s, seen[s].inputTokens])),
        },
      };
    } finally {
      await dispatcher.close();
      for (const server of Object.values(servers)) await server?.close();
    }
  },
};

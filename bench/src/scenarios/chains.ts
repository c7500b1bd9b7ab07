/**
 * Chains: latency of the Nth turn of a `previous_interaction_id` chain, N = 1, 100, 1,000. A chain of 1,000
 * turns is built once; then, in interleaved rounds, a new turn is created after turn N-1 (a branch, so the
 * chain itself stays as built and every sample continues the same history of N-1 turns). Also the store's
 * statement count per turn, read from the server process around each sample.
 */
import { Agent, request } from 'undici';
import { MODEL } from '../lib/scripts.ts';
import { useInterplay } from '../lib/servers.ts';
import { fmt, median, p95, pushTo, ratio, rotate } from '../lib/stats.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

export const chains: Scenario = {
  name: 'chains',
  title: 'Chains: latency of turn N of a previous_interaction_id chain (N = 1, 100, 1,000)',
  async run({ quick, log, interplay: given }: ScenarioOptions): Promise<ScenarioResult> {
    const depths = quick ? [1, 5, 20] : [1, 100, 1000];
    const samples = quick ? 3 : 60;
    const warmup = quick ? 1 : 5;
    const server = await useInterplay(given);
    const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
    const endpoint = `${server.url}/v1beta/interactions`;
    const turn = async (
      input: string,
      previous?: string,
    ): Promise<{ id: string; ms: number; historyItems: number }> => {
      const body = JSON.stringify({
        model: MODEL,
        input,
        ...(previous ? { previous_interaction_id: previous } : {}),
      });
      const t0 = performance.now();
      const res = await request(endpoint, {
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
      const maxDepth = depths.at(-1) as number;
      log(`  building a chain of ${maxDepth.toLocaleString('en-US')} turns…`);
      const ids: string[] = [];
      const buildStart = performance.now();
      for (let n = 1; n <= maxDepth; n++) ids.push((await turn(`turn ${n}`, ids.at(-1))).id);
      const buildMs = performance.now() - buildStart;

      const latency: Record<number, number[]> = {};
      const statements: Record<number, number[]> = {};
      const inputTokens: Record<number, number> = {};
      for (let r = 0; r < warmup + samples; r++) {
        for (const n of rotate(depths, r)) {
          const before = await server.stats({ settle: 2 });
          const t = await turn(`branch at ${n}`, n === 1 ? undefined : ids[n - 2]);
          const after = await server.stats({ settle: 2 });
          if (r < warmup) continue;
          pushTo(latency, n, t.ms);
          pushTo(statements, n, after.statements - before.statements);
          inputTokens[n] = t.historyItems;
        }
      }
      const figures: Record<string, number> = { build_ms: buildMs };
      const table: string[][] = [['turn N', 'median ms', 'p95 ms', 'statements/turn', 'vs turn 1']];
      const base = median(latency[1] ?? []);
      for (const n of depths) {
        const l = latency[n] ?? [];
        figures[`turn${n}.median_ms`] = median(l);
        figures[`turn${n}.p95_ms`] = p95(l);
        figures[`turn${n}.statements`] = median(statements[n] ?? []);
        figures[`turn${n}.ratio`] = ratio(median(l), base);
        table.push([
          String(n),
          fmt(median(l)),
          fmt(p95(l)),
          fmt(median(statements[n] ?? [])),
          fmt(ratio(median(l), base)),
        ]);
      }
      // What the server stored for the deepest chain: every link continues the previous one.
      const chain = await server.chain(ids.at(-1) as string);
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
                `turn ${top} latency vs turn 1 (median)`,
                figures[`turn${top}.ratio`] as number,
                'max',
                1.2,
                '×',
              ),
            ],
        evidence: {
          chainLength: chain.length,
          linked: chain.every((l, i) =>
            i === 0 ? l.previousId === undefined : l.previousId === chain[i - 1]?.id,
          ),
          statementsPerTurn: Object.fromEntries(depths.map((n) => [n, statements[n]])),
          // The scripted model counts one input token per word of the whole conversation it was given.
          inputTokensAtDepth: inputTokens,
        },
      };
    } finally {
      await dispatcher.close();
      await server.close();
    }
  },
};

/**
 * Many conversations: N = 5,000 chains of the realistic agent request (lib/requests.ts), advanced one turn
 * each per round, round robin, to depth D = 50, by 16 closed-loop clients in a load process of their own
 * (lib/chain-driver.ts). With that many live conversations the server's in-memory history cache (1,000
 * entries) never holds the chain a turn continues: every turn reads its history from the store.
 *
 * Servers, interleaved round by round: Interplay (default durability), Interplay with `durability: 'full'`,
 * and the durable floor storing the same bodies (one row per create, linked like Interplay's).
 *
 * Cold: both Interplay servers are restarted on their files — nothing in memory, SQLite's page cache cold,
 * code not yet optimized — and every chain gets one more turn (turn D + 1). Its base is the first turn of N
 * new chains on a server restarted again just before them, so both pay the same warm-up after a restart
 * (`cold.ratio_*`). The first turns of N other new chains right after turn D + 1, on its already warmed-up
 * server, are measured too (`cold_vs_warm_turn1.ratio_*`): that ratio also charges V8's warm-up to turn D + 1.
 *
 * Per round: the turn's latency (p50, p99 at the client), the server's CPU per turn, requests per second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoundResult } from '../lib/chain-driver.ts';
import { type LoadProcess, startLoad } from '../lib/load.ts';
import { agentBody } from '../lib/requests.ts';
import { type BenchServer, type Durability, startFloor, startInterplay } from '../lib/servers.ts';
import { fmt, permutation, pushTo, ratio } from '../lib/stats.ts';
import { sampleCreate } from './server-create.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

const SERVERS = ['interplay', 'interplay_full', 'floor'] as const;
type ServerName = (typeof SERVERS)[number];
const INTERPLAYS = ['interplay', 'interplay_full'] as const;

/** `BENCH_CONVERSATIONS=CHAINSxDEPTH` (e.g. `2000x50`) overrides the size, 5,000 × 50 by default. */
function size(): [number, number] {
  const match = /^(\d+)x(\d+)$/.exec(process.env.BENCH_CONVERSATIONS ?? '');
  return match ? [Number(match[1]), Number(match[2])] : [5000, 50];
}

interface Round extends RoundResult {
  /** Server CPU per turn (µs). */
  cpuPerTurn: number;
}

export const conversations: Scenario = {
  name: 'conversations',
  title:
    'Conversations: 5,000 chains of the agent request advanced round robin to depth 50, then after a restart',
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const [chains, depth] = quick ? [20, 4] : size();
    const concurrency = quick ? 4 : 16;
    const tag = `conversations:${process.pid}`;
    const dir = mkdtempSync(join(tmpdir(), 'interplay-conversations-'));
    const dbPath = (name: ServerName) => join(dir, `${name}.db`);
    const durability = (name: ServerName): Durability => (name === 'interplay_full' ? 'full' : 'normal');
    const servers = {} as Record<ServerName, BenchServer>;
    let load: LoadProcess | undefined;
    try {
      for (const name of INTERPLAYS) {
        servers[name] = await startInterplay({ dbPath: dbPath(name), durability: durability(name) });
      }
      // The floor answers what Interplay answers to a first turn, with a new id each time.
      servers.floor = await startFloor((await sampleCreate(servers.interplay.url, agentBody(1))).body);
      load = await startLoad();
      log(
        `  ${chains.toLocaleString('en-US')} chains × ${depth} turns on {${SERVERS.join(', ')}}, interleaved ` +
          `by round, ${concurrency} clients (pid ${load.pid}); body ${agentBody(1).length} bytes`,
      );
      const rounds: Record<string, Round[]> = {};
      const advance = async (server: ServerName, set: string): Promise<Round> => {
        const s = servers[server];
        const before = await s.stats();
        const result = await (load as LoadProcess).chains({
          name: set,
          count: chains,
          url: s.url,
          concurrency,
          tag,
        });
        const after = await s.stats();
        const round = { ...result, cpuPerTurn: (after.cpuMicros - before.cpuMicros) / result.requests };
        pushTo(rounds, set, round);
        return round;
      };
      for (let turn = 1; turn <= depth; turn++) {
        for (const name of permutation(SERVERS, turn)) await advance(name, name);
        if (turn % 10 === 0 || turn === depth) {
          const last = (name: ServerName) => rounds[name]?.at(-1) as Round;
          log(
            `  turn ${turn}: ` +
              SERVERS.map((n) => `${n} ${fmt(last(n).p50Ms)} ms p50, ${fmt(last(n).cpuPerTurn)} µs CPU`).join(
                '; ',
              ),
          );
        }
      }

      // Restart: the same files, nothing in memory. One more turn on every chain, then N new first turns on
      // that (by now warm) server; restarted again, the first turns of N other new chains: the cold base.
      const restart = async () => {
        for (const name of INTERPLAYS) {
          await servers[name].close();
          servers[name] = await startInterplay({ dbPath: dbPath(name), durability: durability(name) });
        }
      };
      await restart();
      for (const name of INTERPLAYS) {
        await advance(name, name);
        await advance(name, `${name}:new`);
      }
      await restart();
      for (const name of INTERPLAYS) await advance(name, `${name}:new_cold`);

      const figures: Record<string, number> = {};
      const table: string[][] = [
        ['server', 'turn', 'p50 / p99 ms', 'server CPU µs/turn', 'turns/s', 'vs turn 1 (p50 · CPU)'],
      ];
      const row = (name: string, label: string, r: Round, base: Round, key: string) => {
        figures[`${key}.p50_ms`] = r.p50Ms;
        figures[`${key}.p99_ms`] = r.p99Ms;
        figures[`${key}.cpu_us_per_turn`] = r.cpuPerTurn;
        figures[`${key}.rps`] = r.rps;
        figures[`${key}.ratio_p50`] = ratio(r.p50Ms, base.p50Ms);
        figures[`${key}.ratio_cpu`] = ratio(r.cpuPerTurn, base.cpuPerTurn);
        table.push([
          name,
          label,
          `${fmt(r.p50Ms)} / ${fmt(r.p99Ms)}`,
          fmt(r.cpuPerTurn),
          fmt(r.rps),
          `${fmt(figures[`${key}.ratio_p50`] as number)} · ${fmt(figures[`${key}.ratio_cpu`] as number)}`,
        ]);
      };
      const total = (list: Round[]) => {
        const requests = list.reduce((n, r) => n + r.requests, 0);
        return requests / (list.reduce((n, r) => n + r.wallMs, 0) / 1000);
      };
      for (const name of SERVERS) {
        const list = (rounds[name] ?? []).slice(0, depth);
        const first = list[0] as Round;
        for (const n of [1, Math.ceil(depth / 2), depth]) {
          row(name, `${n}`, list[n - 1] as Round, first, `${name}.turn${n}`);
        }
        figures[`${name}.rps`] = total(list);
        if (name !== 'floor') {
          const coldFirst = rounds[`${name}:new_cold`]?.[0] as Round;
          const warmFirst = rounds[`${name}:new`]?.[0] as Round;
          const turn = rounds[name]?.[depth] as Round;
          row(name, `${depth + 1} after restart`, turn, coldFirst, `${name}.cold`);
          row(name, '1 (new chains) after restart', coldFirst, coldFirst, `${name}.cold_turn1`);
          row(
            name,
            `${depth + 1} after restart vs 1 after it`,
            turn,
            warmFirst,
            `${name}.cold_vs_warm_turn1`,
          );
          row(name, `1 (new chains) after turn ${depth + 1}`, warmFirst, warmFirst, `${name}.warm_turn1`);
        }
      }
      figures['interplay_vs_floor.rps'] = ratio(
        figures['interplay.rps'] as number,
        figures['floor.rps'] as number,
      );
      figures['interplay_full_vs_normal.rps'] = ratio(
        figures['interplay_full.rps'] as number,
        figures['interplay.rps'] as number,
      );
      figures['interplay_full_vs_normal.cpu'] = ratio(
        figures[`interplay_full.turn${depth}.cpu_us_per_turn`] as number,
        figures[`interplay.turn${depth}.cpu_us_per_turn`] as number,
      );
      table.push(
        ['all turns', `1–${depth}`, '', '', `interplay ${fmt(figures['interplay.rps'] as number)}`, ''],
        ['', '', '', '', `full ${fmt(figures['interplay_full.rps'] as number)}`, ''],
        ['', '', '', '', `floor ${fmt(figures['floor.rps'] as number)}`, ''],
        ['ratio', 'interplay / floor, turns/s', '', '', fmt(figures['interplay_vs_floor.rps'] as number), ''],
        [
          'ratio',
          'full / normal durability, turns/s',
          '',
          '',
          fmt(figures['interplay_full_vs_normal.rps'] as number),
          '',
        ],
      );

      const heads = await load.chainHeads('interplay');
      const stored = await servers.interplay.chain(heads[0] as string);
      const tokens = (rounds.interplay ?? []).map((r) => r.firstChainInputTokens);
      return {
        name: 'conversations',
        title: conversations.title,
        figures,
        table,
        targets: quick
          ? []
          : [
              target(
                `turn ${depth} vs turn 1, p50 latency (warm)`,
                figures[`interplay.turn${depth}.ratio_p50`] as number,
                'max',
                1.5,
                '×',
              ),
              target(
                `turn ${depth + 1} after a restart vs turn 1 after a restart, p50 latency (cold)`,
                figures['interplay.cold.ratio_p50'] as number,
                'max',
                1.5,
                '×',
              ),
              target(
                `turn ${depth} vs turn 1, server CPU per turn (warm)`,
                figures[`interplay.turn${depth}.ratio_cpu`] as number,
                'max',
                1.5,
                '×',
              ),
              target(
                'conversation turns/s vs the durable floor storing the same bodies',
                figures['interplay_vs_floor.rps'] as number,
                'min',
                0.5,
                '×',
              ),
            ],
        evidence: {
          turnsPerServer: Object.fromEntries(
            Object.entries(rounds).map(([k, list]) => [k, list.map((r) => r.requests)]),
          ),
          firstChain: {
            length: stored.length,
            linked: stored.every((l, i) =>
              i === 0 ? l.previousId === undefined : l.previousId === stored[i - 1]?.id,
            ),
          },
          inputTokensGrow: tokens.every((t, i) => i === 0 || t > (tokens[i - 1] as number)),
        },
      };
    } finally {
      await load?.close();
      await Promise.all(Object.values(servers).map((s) => s.close()));
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/**
 * Many conversations: N = 5,000 chains of the realistic agent request (lib/requests.ts), advanced one turn
 * each per round, round robin, to depth D = 50, by 16 closed-loop clients in a load process of their own
 * (lib/chain-driver.ts). With that many live conversations the server's in-memory history cache (1,000
 * entries) never holds the chain a turn continues: every turn reads its history from the store.
 *
 * Servers, interleaved round by round: Interplay (default durability), Interplay with `durability: 'full'`,
 * and the durable floor storing the same bodies (one row per create, linked like Interplay's).
 *
 * Warm: in every round, right before or after a server's continued turns, K = N / 10 new chains get their
 * first turn on it (a sub-round of its own; which goes first alternates, in cycles of two rounds shuffled
 * with a seed drawn per run, so nothing that recurs after a fixed amount of work falls on one side only).
 * Turn D is compared with those first turns of the same round (`turnD.same_round.ratio_*`); the target is the
 * median of that ratio over turns D − 4 … D (`turnsX_D.same_round.median_ratio_*`), as one round's first turns
 * last half a second and one burst of load moves them. Its comparison with round 1 (`turnD.vs_round1.ratio_*`)
 * also charges whatever the machine did in the minutes between (the floor's drifted by 1.3–1.6× in CPU). On
 * the floor the same-round ratio is not 1: a continued turn's row is linked (the insert reads the parent's row
 * and writes two indexes of continued turns only, which grow every round), a first turn's appended. Turns/s
 * are over the continued rounds only, the same work on every server.
 *
 * Cold: every server is restarted on its file — nothing in memory, SQLite's page cache cold, code not yet
 * optimized — the floor too, which keeps nothing in memory, so its ratio is what a restart costs without any
 * history to read. Then batches of N / 10 chains get turn D + 1, each right before or after the first turns of
 * N / 10 new chains (order drawn per batch, servers interleaved by batch), so both kinds share the restarted
 * process's warm-up; the figure is the median over batches of their ratio (`cold.ratio_*`).
 *
 * Per sub-round: the turn's latency (p50, p99 at the client), the server's CPU per turn, requests per second.
 */
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChainSlice } from '../lib/chain-driver.ts';
import {
  depthRatios,
  type MeasuredRound,
  medianPairedRatios,
  medianSameRound,
  pooled,
  type Ratios,
  ratios,
} from '../lib/depth-ratios.ts';
import { type LoadProcess, startLoad } from '../lib/load.ts';
import { agentBody } from '../lib/requests.ts';
import type { ChainLink } from '../lib/server-types.ts';
import { type BenchServer, type Durability, startFloor, startInterplay } from '../lib/servers.ts';
import { fmt, permutation, pushTo, ratio, shuffledPermutation } from '../lib/stats.ts';
import { sampleCreate } from './server-create.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

const SERVERS = ['interplay', 'interplay_full', 'floor'] as const;
type ServerName = (typeof SERVERS)[number];
const INTERPLAYS = ['interplay', 'interplay_full'] as const;
/** A server's two sub-rounds of a round: the first turns of new chains and the continued chains. */
const SUB_ROUNDS = ['first_turns', 'continued'] as const;

/** `BENCH_CONVERSATIONS=CHAINSxDEPTH` (e.g. `2000x50`) overrides the size, 5,000 × 50 by default. */
function size(): [number, number] {
  const match = /^(\d+)x(\d+)$/.exec(process.env.BENCH_CONVERSATIONS ?? '');
  return match ? [Number(match[1]), Number(match[2])] : [5000, 50];
}

const pair = (x: Ratios) => `${fmt(x.p50)} · ${fmt(x.cpu)}`;

/** What a table row is compared with. */
interface Comparisons {
  /**
   * First turns of new chains: of the same round when warm (figures `<row>.same_round.ratio_*`), of the same
   * batches after a restart when cold (`<row>.ratio_*`, the median of the batches' ratios).
   */
  turn1?: { infix: string; ratios: Ratios };
  /** Round 1 of the same server, minutes earlier (`<row>.vs_round1.ratio_*`). */
  round1?: Ratios;
}

export const conversations: Scenario = {
  name: 'conversations',
  title:
    'Conversations: 5,000 chains of the agent request advanced round robin to depth 50, then after a restart',
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const [chains, depth] = quick ? [20, 4] : size();
    // Enough first turns for a steady p50 and CPU figure, few enough to add a tenth to the run.
    const newChains = quick ? 5 : Math.max(1, Math.round(chains / 10));
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
      const floorBody = (await sampleCreate(servers.interplay.url, agentBody(1))).body;
      const startFloorOnFile = () => startFloor(floorBody, { dbPath: dbPath('floor') });
      servers.floor = await startFloorOnFile();
      load = await startLoad();
      log(
        `  ${chains.toLocaleString('en-US')} chains × ${depth} turns on {${SERVERS.join(', ')}}, interleaved ` +
          `by round, ${concurrency} clients (pid ${load.pid}); first turns of ${newChains} new chains in ` +
          `every round; body ${agentBody(1).length} bytes`,
      );
      /** Each set's rounds: the continued chains under the server's name. */
      const rounds: Record<string, MeasuredRound[]> = {};
      /** Each server's first turns of new chains, one sub-round per round; and whether it went first. */
      const firstTurns: Record<string, MeasuredRound[]> = {};
      const firstTurnsBefore: Record<string, boolean[]> = {};
      const measure = async (
        server: ServerName,
        set: string,
        count: number,
        slice?: ChainSlice,
      ): Promise<MeasuredRound> => {
        const s = servers[server];
        const before = await s.stats();
        const call = { name: set, count, url: s.url, concurrency, tag, ...(slice ? { slice } : {}) };
        const result = await (load as LoadProcess).chains(call);
        const after = await s.stats();
        return { ...result, cpuPerTurn: (after.cpuMicros - before.cpuMicros) / result.requests };
      };
      const advance = async (server: ServerName, set: string): Promise<MeasuredRound> => {
        const round = await measure(server, set, chains);
        pushTo(rounds, set, round);
        return round;
      };
      const orderSeed = randomInt(1, 2 ** 31);
      for (let turn = 1; turn <= depth; turn++) {
        for (const name of permutation(SERVERS, turn)) {
          const order = shuffledPermutation(SUB_ROUNDS, turn - 1, orderSeed + SERVERS.indexOf(name));
          pushTo(firstTurnsBefore, name, order[0] === 'first_turns');
          for (const sub of order) {
            if (sub === 'continued') await advance(name, name);
            else pushTo(firstTurns, name, await measure(name, `${name}:first_turns@${turn}`, newChains));
          }
        }
        if (turn % 10 === 0 || turn === depth) {
          log(
            `  turn ${turn}: ` +
              SERVERS.map((n) => {
                const last = rounds[n]?.at(-1) as MeasuredRound;
                const first = firstTurns[n]?.at(-1) as MeasuredRound;
                return `${n} ${fmt(last.p50Ms)} ms p50, ${fmt(last.cpuPerTurn)} µs CPU (new chains ${fmt(first.p50Ms)} ms, ${fmt(first.cpuPerTurn)} µs)`;
              }).join('; '),
          );
        }
      }

      // Cold: every server restarted on its file, nothing in memory (the floor too: what a restart costs a
      // server that keeps nothing but SQLite's pages). Then batches of N / 10 chains get turn D + 1, each right
      // before or after the first turns of N / 10 new chains (order drawn per batch), servers interleaved by
      // batch: both kinds share the restarted process's warm-up.
      for (const name of SERVERS) {
        await servers[name].close();
        servers[name] =
          name === 'floor'
            ? await startFloorOnFile()
            : await startInterplay({ dbPath: dbPath(name), durability: durability(name) });
      }
      const coldContinued: Record<string, MeasuredRound[]> = {};
      const coldFirstTurns: Record<string, MeasuredRound[]> = {};
      const coldFirstTurnsBefore: Record<string, boolean[]> = {};
      for (let batch = 0; batch * newChains < chains; batch++) {
        const slice = { from: batch * newChains, to: Math.min(chains, (batch + 1) * newChains) };
        for (const name of permutation(SERVERS, batch)) {
          const order = shuffledPermutation(SUB_ROUNDS, depth + batch, orderSeed + SERVERS.indexOf(name));
          pushTo(coldFirstTurnsBefore, name, order[0] === 'first_turns');
          for (const sub of order) {
            if (sub === 'continued') pushTo(coldContinued, name, await measure(name, name, chains, slice));
            else {
              const set = `${name}:cold_first_turns@${batch}`;
              pushTo(coldFirstTurns, name, await measure(name, set, slice.to - slice.from));
            }
          }
        }
      }

      const figures: Record<string, number> = {};
      const table: string[][] = [
        [
          'server',
          'turn',
          'p50 / p99 ms',
          'server CPU µs/turn',
          'turns/s',
          'vs turn 1 of the same round (cold: of the same batches), p50 · CPU',
          'vs round 1, p50 · CPU',
        ],
      ];
      const row = (name: string, label: string, r: MeasuredRound, key: string, vs: Comparisons = {}) => {
        figures[`${key}.p50_ms`] = r.p50Ms;
        figures[`${key}.p99_ms`] = r.p99Ms;
        figures[`${key}.cpu_us_per_turn`] = r.cpuPerTurn;
        figures[`${key}.rps`] = r.rps;
        const ratioFigures = (infix: string, x: Ratios) => {
          figures[`${key}${infix}.ratio_p50`] = x.p50;
          figures[`${key}${infix}.ratio_cpu`] = x.cpu;
          return pair(x);
        };
        table.push([
          name,
          label,
          `${fmt(r.p50Ms)} / ${fmt(r.p99Ms)}`,
          fmt(r.cpuPerTurn),
          fmt(r.rps),
          vs.turn1 ? ratioFigures(vs.turn1.infix, vs.turn1.ratios) : '',
          vs.round1 ? ratioFigures('.vs_round1', vs.round1) : '',
        ]);
      };
      const total = (list: MeasuredRound[]) => {
        const requests = list.reduce((n, r) => n + r.requests, 0);
        return requests / (list.reduce((n, r) => n + r.wallMs, 0) / 1000);
      };
      const sameRoundRatios: Record<string, { p50: number[]; cpu: number[] }> = {};
      // The target: the last five rounds' median of the same-round ratio — about as deep as turn D, and not
      // moved by one sub-round of first turns (half a second) that met a burst of load or a major collection.
      const from = Math.max(2, depth - 4);
      const lastRounds = (server: string) => `${server}.turns${from}_${depth}.same_round`;
      for (const name of SERVERS) {
        const list = (rounds[name] ?? []).slice(0, depth);
        const firsts = firstTurns[name] ?? [];
        const roundOne = list[0] as MeasuredRound;
        for (const n of [1, Math.ceil(depth / 2), depth]) {
          const { sameRound, vsRoundOne } = depthRatios(list, firsts, n);
          row(name, `${n}`, list[n - 1] as MeasuredRound, `${name}.turn${n}`, {
            turn1: { infix: '.same_round', ratios: sameRound },
            round1: vsRoundOne,
          });
          // The new chains' own drift since round 1: a database grown by n - 1 rounds, and the machine.
          const first = firsts[n - 1] as MeasuredRound;
          row(name, `1 (${newChains} new chains, round ${n})`, first, `${name}.round${n}_new_chains`, {
            round1: ratios(first, roundOne),
          });
        }
        const window = medianSameRound(list, firsts, from, depth);
        figures[`${lastRounds(name)}.median_ratio_p50`] = window.p50;
        figures[`${lastRounds(name)}.median_ratio_cpu`] = window.cpu;
        table.push([name, `${from}–${depth}, median of the rounds`, '', '', '', pair(window), '']);
        figures[`${name}.rps`] = total(list);
        // Round by round, to see how much one round's figure swings.
        const perRound = list.map((_, i) => depthRatios(list, firsts, i + 1).sameRound);
        sameRoundRatios[name] = {
          p50: perRound.map((x) => Number(fmt(x.p50))),
          cpu: perRound.map((x) => Number(fmt(x.cpu))),
        };
        const wall = (l: MeasuredRound[]) => l.reduce((n, r) => n + r.wallMs, 0) / 1000;
        log(
          `  ${name}: new chains' first turns ${fmt(wall(firsts))} s, continued turns ${fmt(wall(list))} s`,
        );
        const cold = coldContinued[name] ?? [];
        const coldFirst = coldFirstTurns[name] ?? [];
        row(name, `${depth + 1} after restart (${cold.length} batches)`, pooled(cold), `${name}.cold`, {
          turn1: { infix: '', ratios: medianPairedRatios(cold, coldFirst) },
        });
        row(name, '1 (new chains, the same batches)', pooled(coldFirst), `${name}.cold_turn1`);
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
      const turnsPerSecond = (label: string, value: string) => ['', label, '', '', value, '', ''];
      table.push(
        turnsPerSecond(`continued turns 1–${depth}`, `interplay ${fmt(figures['interplay.rps'] as number)}`),
        turnsPerSecond('', `full ${fmt(figures['interplay_full.rps'] as number)}`),
        turnsPerSecond('', `floor ${fmt(figures['floor.rps'] as number)}`),
        turnsPerSecond('ratio interplay / floor', fmt(figures['interplay_vs_floor.rps'] as number)),
        turnsPerSecond(
          'ratio full / normal durability',
          fmt(figures['interplay_full_vs_normal.rps'] as number),
        ),
      );

      const heads = await load.chainHeads('interplay');
      const stored = await servers.interplay.chain(heads[0] as string);
      // Read after the restart: the floor continued its chains on the same file.
      const floorStored = await servers.floor.chain((await load.chainHeads('floor'))[0] as string);
      const linked = (chain: ChainLink[]) =>
        chain.every((l, i) => (i === 0 ? l.previousId === undefined : l.previousId === chain[i - 1]?.id));
      const tokens = (rounds.interplay ?? []).map((r) => r.firstChainInputTokens);
      const counts = (sets: Record<string, MeasuredRound[]>) =>
        Object.fromEntries(Object.entries(sets).map(([k, list]) => [k, list.map((r) => r.requests)]));
      return {
        name: 'conversations',
        title: conversations.title,
        figures,
        table,
        targets: quick
          ? []
          : [
              target(
                `turns ${from}–${depth} vs turn 1 of new chains in the same round, p50 latency, median of the rounds (warm)`,
                figures[`${lastRounds('interplay')}.median_ratio_p50`] as number,
                'max',
                1.5,
                '×',
              ),
              target(
                `turn ${depth + 1} after a restart vs first turns of new chains in the same batches, p50 latency, median of the batches (cold)`,
                figures['interplay.cold.ratio_p50'] as number,
                'max',
                1.5,
                '×',
              ),
              target(
                `turns ${from}–${depth} vs turn 1 of new chains in the same round, server CPU per turn, median of the rounds (warm)`,
                figures[`${lastRounds('interplay')}.median_ratio_cpu`] as number,
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
          turnsPerServer: counts(rounds),
          coldTurnsPerServer: counts(coldContinued),
          coldFirstTurnsPerServer: counts(coldFirstTurns),
          coldTurns: Object.fromEntries(
            Object.entries(coldContinued).map(([k, l]) => [k, l.map((r) => r.turn)]),
          ),
          coldFirstTurnsBefore,
          firstTurnsPerServer: counts(firstTurns),
          firstTurnsBefore,
          orderSeed,
          sameRoundRatios,
          // The new chains' turns were first turns: the model was given the same input as in round 1.
          newChainsReadNoHistory: (firstTurns.interplay ?? []).every(
            (r) => r.firstChainInputTokens === tokens[0],
          ),
          firstChain: { length: stored.length, linked: linked(stored) },
          floorFirstChain: { length: floorStored.length, linked: linked(floorStored) },
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

/**
 * Server create throughput: POST /v1beta/interactions (non-stream, store:true, the scripted model's short
 * answer) at 1, 8 and 64 concurrent clients, next to
 * - a bare node:http server answering the same bytes (the physical limit of one Node process here; the target's
 *   baseline), and
 * - the durable floor: node:http that parses the body and stores it as one interaction row in the same SQLite
 *   store before answering — the least any server that keeps what it is sent can do. It tells the cost of
 *   durability on this machine apart from Interplay's own.
 * All servers are child processes, the load generator is this process; servers and concurrency levels are
 * interleaved within each round, and figures are the medians of the rounds.
 */
import { request } from 'undici';
import { type LoadResult, runLoad } from '../lib/load.ts';
import { MODEL } from '../lib/scripts.ts';
import { TAG_HEADER } from '../lib/server-types.ts';
import { type BenchServer, startBare, startFloor, useInterplay } from '../lib/servers.ts';
import { fmt, median, percentile, permutation, pushTo, ratio } from '../lib/stats.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

export const CREATE_PATH = '/v1beta/interactions';
export const CREATE_BODY = JSON.stringify({ model: MODEL, input: 'Hello', store: true });

export async function sampleCreate(url: string): Promise<{ id: string; body: string }> {
  const res = await request(`${url}${CREATE_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: CREATE_BODY,
  });
  const body = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`create: HTTP ${res.statusCode} ${body}`);
  return { id: (JSON.parse(body) as { id: string }).id, body };
}

const SERVERS = ['interplay', 'floor', 'bare'] as const;
type ServerName = (typeof SERVERS)[number];

export const serverCreate: Scenario = {
  name: 'server-create',
  title: 'Server create throughput (non-stream, store:true) vs a bare node:http server and the durable floor',
  async run({ quick, log, interplay: given }: ScenarioOptions): Promise<ScenarioResult> {
    const levels = quick ? [1, 4] : [1, 8, 64];
    const rounds = quick ? 1 : 3;
    const warmupMs = quick ? 20 : 500;
    const durationMs = quick ? 100 : 3000;
    const interplay = await useInterplay(given);
    const others: BenchServer[] = [];
    try {
      const sample = await sampleCreate(interplay.url);
      const bare = await startBare(sample.body);
      others.push(bare);
      const floor = await startFloor(sample.body);
      others.push(floor);
      const servers: Record<ServerName, BenchServer> = { interplay, floor, bare };
      log(
        `  ${rounds} rounds × ${levels.join('/')} clients × {${SERVERS.join(', ')}}, ${durationMs} ms each ` +
          `after ${warmupMs} ms warm-up; response ${sample.body.length} bytes`,
      );
      const runs: Record<string, LoadResult[]> = {};
      const tag = `server-create:${process.pid}`;
      // Server CPU time per request (user + system), unaffected by other processes stretching wall time.
      const cpuPerRequest: Record<string, number[]> = {};
      const statsOf = async () =>
        Object.fromEntries(
          await Promise.all(SERVERS.map(async (name) => [name, await servers[name].stats()] as const)),
        ) as Record<ServerName, Awaited<ReturnType<BenchServer['stats']>>>;
      const before = await statsOf();
      const sent: Record<ServerName, number> = { interplay: 0, floor: 0, bare: 0 };
      let turn = 0;
      for (let r = 0; r < rounds; r++) {
        for (const c of levels) {
          for (const name of permutation(SERVERS, turn++)) {
            const cpu0 = (await servers[name].stats()).cpuMicros;
            const result = await runLoad({
              url: servers[name].url,
              path: CREATE_PATH,
              body: CREATE_BODY,
              headers: { [TAG_HEADER]: tag },
              concurrency: c,
              warmupMs,
              durationMs,
            });
            if (result.errors > 0)
              throw new Error(`${name} at ${c}: ${result.errors} errors, ${result.firstError}`);
            sent[name] += result.sent;
            pushTo(runs, `${name}.${c}`, result);
            pushTo(
              cpuPerRequest,
              `${name}.${c}`,
              ((await servers[name].stats()).cpuMicros - cpu0) / result.sent,
            );
          }
        }
      }
      const after = await statsOf();
      const figures: Record<string, number> = {};
      const table: string[][] = [
        [
          'clients',
          'interplay req/s',
          'floor req/s',
          'bare req/s',
          'interplay / bare',
          'floor / bare',
          'interplay / floor',
          'p50/p99 ms (interplay · floor · bare)',
          'server CPU µs/req (interplay · floor · bare)',
        ],
      ];
      for (const c of levels) {
        const rps: string[] = [];
        const latency: string[] = [];
        const cpu: string[] = [];
        for (const name of SERVERS) {
          const list = runs[`${name}.${c}`] ?? [];
          const key = `${name}.c${c}`;
          figures[`${key}.rps`] = median(list.map((x) => x.rps));
          figures[`${key}.p50_ms`] = median(list.map((x) => percentile(x.latencies, 50)));
          figures[`${key}.p99_ms`] = median(list.map((x) => percentile(x.latencies, 99)));
          figures[`${key}.cpu_us_per_req`] = median(cpuPerRequest[`${name}.${c}`] ?? []);
          rps.push(fmt(figures[`${key}.rps`] as number));
          latency.push(
            `${fmt(figures[`${key}.p50_ms`] as number)}/${fmt(figures[`${key}.p99_ms`] as number)}`,
          );
          cpu.push(fmt(figures[`${key}.cpu_us_per_req`] as number));
        }
        const of = (name: ServerName) => figures[`${name}.c${c}.rps`] as number;
        figures[`ratio.c${c}`] = ratio(of('interplay'), of('bare'));
        figures[`floor_ratio.c${c}`] = ratio(of('floor'), of('bare'));
        figures[`interplay_vs_floor.c${c}`] = ratio(of('interplay'), of('floor'));
        table.push([
          String(c),
          ...rps,
          fmt(figures[`ratio.c${c}`] as number),
          fmt(figures[`floor_ratio.c${c}`] as number),
          fmt(figures[`interplay_vs_floor.c${c}`] as number),
          latency.join(' · '),
          cpu.join(' · '),
        ]);
      }
      const top = levels.at(-1) as number;
      const stored = await interplay.chain(sample.id);
      const posts = (name: ServerName) =>
        (after[name].postsByTag[tag] ?? 0) - (before[name].postsByTag[tag] ?? 0);
      const perCreate = (name: ServerName) =>
        (after[name].statements - before[name].statements) / (after[name].posts - before[name].posts);
      return {
        name: 'server-create',
        title: serverCreate.title,
        figures,
        table,
        targets: quick
          ? []
          : [
              target(
                `create throughput at ${top} clients vs bare node:http`,
                figures[`ratio.c${top}`] as number,
                'min',
                0.5,
                '×',
              ),
            ],
        evidence: {
          clientSent: sent,
          serverPosts: { interplay: posts('interplay'), floor: posts('floor'), bare: posts('bare') },
          statementsPerCreate: perCreate('interplay'),
          floorStatementsPerCreate: perCreate('floor'),
          storedSample: stored.map((l) => ({ status: l.status, output: l.output })),
        },
      };
    } finally {
      await Promise.all([interplay.close(), ...others.map((s) => s.close())]);
    }
  },
};

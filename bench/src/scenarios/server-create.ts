/**
 * Server create throughput: POST /v1beta/interactions (non-stream, store:true, the scripted model's short
 * answer) at 1, 8 and 64 concurrent clients, next to a bare node:http server answering the same bytes (the
 * physical limit of one Node process here). Both servers are child processes, the load generator is this
 * process; targets and concurrency levels are interleaved within each round, and figures are the medians of
 * the rounds.
 */
import { request } from 'undici';
import { type LoadResult, runLoad } from '../lib/load.ts';
import { MODEL } from '../lib/scripts.ts';
import { TAG_HEADER } from '../lib/server-types.ts';
import { type BenchServer, startBare, useInterplay } from '../lib/servers.ts';
import { fmt, median, percentile, pushTo, ratio, rotate } from '../lib/stats.ts';
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

export const serverCreate: Scenario = {
  name: 'server-create',
  title: 'Server create throughput (non-stream, store:true) vs a bare node:http server',
  async run({ quick, log, interplay: given }: ScenarioOptions): Promise<ScenarioResult> {
    const levels = quick ? [1, 4] : [1, 8, 64];
    const rounds = quick ? 1 : 3;
    const warmupMs = quick ? 20 : 500;
    const durationMs = quick ? 100 : 3000;
    const interplay = await useInterplay(given);
    let bare: BenchServer | undefined;
    try {
      const sample = await sampleCreate(interplay.url);
      bare = await startBare(sample.body);
      const servers = { interplay, bare };
      log(
        `  ${rounds} rounds × ${levels.join('/')} clients × {interplay, bare}, ${durationMs} ms each after ` +
          `${warmupMs} ms warm-up; response ${sample.body.length} bytes`,
      );
      const runs: Record<string, LoadResult[]> = {};
      const tag = `server-create:${process.pid}`;
      // Server CPU time per request (user + system), unaffected by other processes stretching wall time.
      const cpuPerRequest: Record<string, number[]> = {};
      const before = { interplay: await interplay.stats(), bare: await bare.stats() };
      const sent = { interplay: 0, bare: 0 };
      for (let r = 0; r < rounds; r++) {
        for (const c of levels) {
          for (const name of rotate(['interplay', 'bare'] as const, r + c)) {
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
      const after = { interplay: await interplay.stats(), bare: await bare.stats() };
      const figures: Record<string, number> = {};
      const table: string[][] = [
        [
          'clients',
          'interplay req/s',
          'bare req/s',
          'ratio',
          'interplay p50/p99 ms',
          'bare p50/p99 ms',
          'server CPU µs/req (interplay / bare)',
        ],
      ];
      for (const c of levels) {
        const row = [String(c)];
        const lat: string[] = [];
        for (const name of ['interplay', 'bare'] as const) {
          const list = runs[`${name}.${c}`] ?? [];
          const rps = median(list.map((x) => x.rps));
          const p50 = median(list.map((x) => percentile(x.latencies, 50)));
          const p99 = median(list.map((x) => percentile(x.latencies, 99)));
          figures[`${name}.c${c}.rps`] = rps;
          figures[`${name}.c${c}.p50_ms`] = p50;
          figures[`${name}.c${c}.p99_ms`] = p99;
          const cpu = median(cpuPerRequest[`${name}.${c}`] ?? []);
          figures[`${name}.c${c}.cpu_us_per_req`] = cpu;
          row.push(fmt(rps));
          lat.push(`${fmt(p50)} / ${fmt(p99)}`);
        }
        lat.push(
          `${fmt(figures[`interplay.c${c}.cpu_us_per_req`] as number)} / ${fmt(figures[`bare.c${c}.cpu_us_per_req`] as number)}`,
        );
        figures[`ratio.c${c}`] = ratio(
          figures[`interplay.c${c}.rps`] as number,
          figures[`bare.c${c}.rps`] as number,
        );
        table.push([...row, fmt(figures[`ratio.c${c}`] as number), ...lat]);
      }
      const top = levels.at(-1) as number;
      const stored = await interplay.chain(sample.id);
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
          serverPosts: {
            interplay: (after.interplay.postsByTag[tag] ?? 0) - (before.interplay.postsByTag[tag] ?? 0),
            bare: (after.bare.postsByTag[tag] ?? 0) - (before.bare.postsByTag[tag] ?? 0),
          },
          statementsPerCreate:
            (after.interplay.statements - before.interplay.statements) /
            (after.interplay.posts - before.interplay.posts),
          storedSample: stored.map((l) => ({ status: l.status, output: l.output })),
        },
      };
    } finally {
      await Promise.all([interplay.close(), bare?.close()]);
    }
  },
};

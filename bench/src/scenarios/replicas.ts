/**
 * Replicas: Interplay on Postgres with one and with two replicas, against the SQLite default and a bare
 * INSERT floor on the same Postgres, in one run:
 * - creates/s: POST /v1beta/interactions (the cheap body, store:true) from closed-loop clients (autocannon in a
 *   load process of its own). With two replicas the clients are split between them — the load balancer's job,
 *   done by the client so that no proxy hop is measured;
 * - chained-turn latency: one chain per configuration, each turn continuing the one before by
 *   `previous_interaction_id`; with two replicas every turn goes to the other replica than the turn before, so
 *   each reads a history the other process wrote.
 * The floor parses the body and writes it as one interaction row (`PostgresStore.createInteraction`, one
 * INSERT) before answering: the least a server keeping what it is sent can do on that database.
 * Every Postgres configuration works in a fresh schema of the database named by INTERPLAY_BENCH_PG_URL (else
 * INTERPLAY_TEST_PG_URL, else the test cluster .ci/postgres.sh starts). Configurations are interleaved within
 * each round; figures are medians.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Agent, request } from 'undici';
import { type LoadProcess, startLoad } from '../lib/load.ts';
import { CHEAP_BODY, CREATE_PATH } from '../lib/requests.ts';
import { MODEL } from '../lib/scripts.ts';
import type { ServerStats } from '../lib/server-types.ts';
import { type BenchServer, startFloor, startInterplay } from '../lib/servers.ts';
import { fmt, median, p95, permutation, pushTo, ratio, rotate } from '../lib/stats.ts';
import { sampleCreate } from './server-create.ts';
import type { Scenario, ScenarioOptions, ScenarioResult } from './types.ts';

const CONFIGS = ['sqlite', 'pg_floor', 'pg_1', 'pg_2'] as const;
type Config = (typeof CONFIGS)[number];

const LABELS: Record<Config, string> = {
  sqlite: 'SQLite (default), 1 process',
  pg_floor: 'Postgres INSERT floor, 1 process',
  pg_1: 'Postgres, 1 replica',
  pg_2: 'Postgres, 2 replicas',
};

export function benchPostgresUrl(): string {
  return (
    process.env.INTERPLAY_BENCH_PG_URL ??
    process.env.INTERPLAY_TEST_PG_URL ??
    'postgres://interplay:interplay@127.0.0.1:54329/interplay_test'
  );
}

function inSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  return u.toString();
}

async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
}

export const replicas: Scenario = {
  name: 'replicas',
  title:
    'Replicas: creates/s and chained-turn latency on Postgres (1 and 2 replicas) vs SQLite and an INSERT floor',
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const connections = quick ? 4 : 32;
    const rounds = quick ? 1 : 3;
    const warmupMs = quick ? 0 : 500;
    const durationMs = 3000;
    const chainTurns = quick ? 4 : 200;
    const chainWarmup = quick ? 1 : 10;
    const tag = `replicas:${process.pid}`;
    const base = benchPostgresUrl();
    const schemas: string[] = [];
    const schema = () => {
      const name = `bench_${randomBytes(6).toString('hex')}`;
      schemas.push(name);
      return inSchema(base, name);
    };
    const started: BenchServer[] = [];
    let load: LoadProcess | undefined;
    const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
    try {
      const sqlite = await startInterplay();
      started.push(sqlite);
      const pgOne = await startInterplay({ postgresUrl: schema() });
      started.push(pgOne);
      const shared = schema();
      // One first (it migrates the new schema), then the second on the same schema.
      const pgA = await startInterplay({ postgresUrl: shared });
      const pgB = await startInterplay({ postgresUrl: shared });
      started.push(pgA, pgB);
      const sample = await sampleCreate(sqlite.url, CHEAP_BODY);
      const floor = await startFloor(sample.body, { postgresUrl: schema() });
      started.push(floor);
      const targets: Record<Config, BenchServer[]> = {
        sqlite: [sqlite],
        pg_floor: [floor],
        pg_1: [pgOne],
        pg_2: [pgA, pgB],
      };
      load = await startLoad();
      const posts = (s: ServerStats) => s.postsByTag[tag] ?? 0;

      log(
        `  creates: ${rounds} rounds × {${CONFIGS.join(', ')}}, ${connections} clients (autocannon, pid ` +
          `${load.pid}), ${durationMs} ms after ${warmupMs} ms warm-up; Postgres at ${new URL(base).host}`,
      );
      const rps: Record<string, number[]> = {};
      const p50: Record<string, number[]> = {};
      const perReplica: Record<string, number[]> = {};
      let turn = 0;
      for (let r = 0; r < rounds; r++) {
        for (const config of permutation(CONFIGS, turn++)) {
          const servers = targets[config];
          const before = await Promise.all(servers.map((s) => s.stats()));
          const each = Math.max(1, Math.floor(connections / servers.length));
          const results = await Promise.all(
            servers.map((s) =>
              (load as LoadProcess).blast({
                url: s.url,
                path: CREATE_PATH,
                body: CHEAP_BODY,
                tag,
                connections: each,
                warmupMs,
                durationMs,
                ...(quick ? { amount: 10 } : {}),
              }),
            ),
          );
          const after = await Promise.all(servers.map((s) => s.stats()));
          const errors = results.reduce((n, x) => n + x.errors, 0);
          if (errors > 0) throw new Error(`${config}: ${errors} errors`);
          const wallMs = Math.max(...results.map((x) => x.wallMs));
          pushTo(rps, config, results.reduce((n, x) => n + x.requests, 0) / (wallMs / 1000));
          pushTo(p50, config, median(results.map((x) => x.p50Ms)));
          for (const i of servers.keys()) {
            pushTo(
              perReplica,
              `${config}.${i}`,
              posts(after[i] as ServerStats) - posts(before[i] as ServerStats),
            );
          }
        }
      }

      log(
        `  chains: ${chainTurns} turns per configuration, interleaved, the first ${chainWarmup} not counted`,
      );
      const latency: Record<string, number[]> = {};
      const heads: Partial<Record<Config, string>> = {};
      const turnOn = async (config: Config, n: number): Promise<void> => {
        const servers = targets[config];
        const server = servers[n % servers.length] as BenchServer;
        const previous = heads[config];
        const body = JSON.stringify({
          model: MODEL,
          input: `turn ${n}`,
          ...(previous ? { previous_interaction_id: previous } : {}),
        });
        const t0 = performance.now();
        const res = await request(`${server.url}${CREATE_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-bench-tag': tag },
          body,
          dispatcher,
        });
        const json = (await res.body.json()) as { id: string };
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) throw new Error(`${config} turn ${n}: HTTP ${res.statusCode}`);
        heads[config] = json.id;
        if (n >= chainWarmup) pushTo(latency, config, ms);
      };
      for (let n = 0; n < chainTurns; n++) for (const config of rotate(CONFIGS, n)) await turnOn(config, n);

      const figures: Record<string, number> = {};
      const table: string[][] = [
        ['configuration', 'creates/s', 'create p50 ms', 'chained turn median ms', 'chained turn p95 ms'],
      ];
      for (const config of CONFIGS) {
        figures[`${config}.creates_per_s`] = median(rps[config] ?? []);
        figures[`${config}.create_p50_ms`] = median(p50[config] ?? []);
        figures[`${config}.chain_median_ms`] = median(latency[config] ?? []);
        figures[`${config}.chain_p95_ms`] = p95(latency[config] ?? []);
        table.push([
          LABELS[config],
          fmt(figures[`${config}.creates_per_s`] as number),
          fmt(figures[`${config}.create_p50_ms`] as number),
          fmt(figures[`${config}.chain_median_ms`] as number),
          fmt(figures[`${config}.chain_p95_ms`] as number),
        ]);
      }
      figures['pg_1.creates_vs_sqlite'] = ratio(
        figures['pg_1.creates_per_s'] as number,
        figures['sqlite.creates_per_s'] as number,
      );
      figures['pg_1.creates_vs_floor'] = ratio(
        figures['pg_1.creates_per_s'] as number,
        figures['pg_floor.creates_per_s'] as number,
      );
      figures['pg_2.creates_vs_pg_1'] = ratio(
        figures['pg_2.creates_per_s'] as number,
        figures['pg_1.creates_per_s'] as number,
      );
      figures['pg_2.chain_vs_pg_1'] = ratio(
        figures['pg_2.chain_median_ms'] as number,
        figures['pg_1.chain_median_ms'] as number,
      );

      // What the two replicas stored for their chain: every link continues the one before, across processes.
      const chain = await pgA.chain(heads.pg_2 as string);
      return {
        name: 'replicas',
        title: replicas.title,
        figures,
        table,
        targets: [],
        evidence: {
          chainLength: chain.length,
          linked: chain.every((l, i) =>
            i === 0 ? l.previousId === undefined : l.previousId === chain[i - 1]?.id,
          ),
          // Both replicas took creates: the load was really split.
          createsPerReplica: [perReplica['pg_2.0'] ?? [], perReplica['pg_2.1'] ?? []].map((v) =>
            v.reduce((a, b) => a + b, 0),
          ),
        },
      };
    } finally {
      await dispatcher.close();
      await load?.close();
      for (const s of started) await s.close();
      await dropSchemas(base, schemas).catch(() => {});
    }
  },
};

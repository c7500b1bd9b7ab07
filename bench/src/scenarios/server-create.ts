/**
 * Server creates: POST /v1beta/interactions (non-stream, store:true, the scripted model's short answer) from
 * 64 closed-loop clients in a load process of its own (autocannon, lib/blast.ts), with two bodies — the
 * cheapest create there is and a realistic agent request (lib/requests.ts) — against
 * - Interplay, with the default durability (`synchronous=NORMAL`) and with `full`;
 * - the durable floor: node:http that parses the body and stores it as one interaction row in the same SQLite
 *   store before answering (also with both durabilities) — the least any server that keeps what it is sent
 *   can do;
 * - a bare node:http server answering the same bytes (what one Node process can serve here).
 * The primary figure is each server's CPU time per request (its process's user + system time over the POSTs
 * it counted), which other load on the machine stretches less than wall time; throughput is beside it, and
 * "busy" (server CPU seconds per second) shows whether a server, not the load generator, was the limit.
 * Servers and bodies are interleaved within each round; figures are medians over the rounds.
 */
import { request } from 'undici';
import { type LoadProcess, startLoad } from '../lib/load.ts';
import { agentBody, CHEAP_BODY, CREATE_PATH } from '../lib/requests.ts';
import type { ServerStats } from '../lib/server-types.ts';
import { type BenchServer, startBare, startFloor, startInterplay, useInterplay } from '../lib/servers.ts';
import { fmt, median, permutation, pushTo, ratio } from '../lib/stats.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

export async function sampleCreate(url: string, body: string): Promise<{ id: string; body: string }> {
  const res = await request(`${url}${CREATE_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`create: HTTP ${res.statusCode} ${text}`);
  return { id: (JSON.parse(text) as { id: string }).id, body: text };
}

const SERVERS = ['interplay', 'interplay_full', 'floor', 'floor_full', 'bare'] as const;
type ServerName = (typeof SERVERS)[number];
const BODIES = { cheap: CHEAP_BODY, agent: agentBody(1) } as const;
type BodyName = keyof typeof BODIES;

interface Sample {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  cpuPerRequest: number;
  busy: number;
  clientCpuPerRequest: number;
}

export const serverCreate: Scenario = {
  name: 'server-create',
  title:
    'Server creates: CPU per request and throughput, cheap and agent bodies, vs the durable floor and bare',
  // One run's agent ratio moved 1.14–1.85× within an hour on unchanged code.
  defaultRuns: 3,
  async run({ quick, log, interplay: given }: ScenarioOptions): Promise<ScenarioResult> {
    const connections = quick ? 4 : 64;
    const rounds = quick ? 1 : 3;
    const warmupMs = quick ? 0 : 500;
    const durationMs = 3000;
    const tag = `server-create:${process.pid}`;
    const started: BenchServer[] = [];
    let load: LoadProcess | undefined;
    try {
      const interplay = await useInterplay(given);
      started.push(interplay);
      const interplayFull = await startInterplay({ durability: 'full' });
      started.push(interplayFull);
      // Per body: the bare and floor servers answer what Interplay answers to that body.
      const servers = {} as Record<BodyName, Record<ServerName, BenchServer>>;
      const samples = {} as Record<BodyName, { id: string; body: string }>;
      for (const name of Object.keys(BODIES) as BodyName[]) {
        const sample = await sampleCreate(interplay.url, BODIES[name]);
        samples[name] = sample;
        const [floor, floorFull, bare] = await Promise.all([
          startFloor(sample.body),
          startFloor(sample.body, { durability: 'full' }),
          startBare(sample.body),
        ]);
        started.push(floor, floorFull, bare);
        servers[name] = {
          interplay,
          interplay_full: interplayFull,
          floor,
          floor_full: floorFull,
          bare,
        };
      }
      load = await startLoad();
      log(
        `  ${rounds} rounds × {${Object.keys(BODIES).join(', ')}} × {${SERVERS.join(', ')}}, ${connections} ` +
          `clients (autocannon, pid ${load.pid}), ${durationMs} ms after ${warmupMs} ms warm-up; bodies ` +
          `${CHEAP_BODY.length} / ${BODIES.agent.length} bytes`,
      );
      const measured: Record<string, Sample[]> = {};
      const posts = (s: ServerStats) => s.postsByTag[tag] ?? 0;
      const sent: Record<string, number> = {};
      const counted: Record<string, number> = {};
      let turn = 0;
      for (let r = 0; r < rounds; r++) {
        for (const body of Object.keys(BODIES) as BodyName[]) {
          for (const name of permutation(SERVERS, turn++)) {
            const server = servers[body][name];
            const before = await server.stats();
            const t0 = performance.now();
            const result = await load.blast({
              url: server.url,
              path: CREATE_PATH,
              body: BODIES[body],
              tag,
              connections,
              warmupMs,
              durationMs,
              ...(quick ? { amount: 20 } : {}),
            });
            const wallMs = performance.now() - t0;
            const after = await server.stats();
            if (result.errors > 0) throw new Error(`${name} (${body}): ${result.errors} errors`);
            const requests = posts(after) - posts(before);
            const cpu = after.cpuMicros - before.cpuMicros;
            const key = `${body}.${name}`;
            sent[key] = (sent[key] ?? 0) + result.requests;
            counted[key] = (counted[key] ?? 0) + requests;
            pushTo(measured, key, {
              rps: result.rps,
              p50Ms: result.p50Ms,
              p99Ms: result.p99Ms,
              cpuPerRequest: cpu / requests,
              busy: cpu / 1000 / wallMs,
              clientCpuPerRequest: result.clientCpuMicros / result.requests,
            });
          }
        }
      }

      const figures: Record<string, number> = {};
      const table: string[][] = [
        [
          'body',
          'server',
          'server CPU µs/req',
          'req/s',
          'p50 / p99 ms',
          'server busy (CPU s/s)',
          'load gen. CPU µs/req',
        ],
      ];
      for (const body of Object.keys(BODIES) as BodyName[]) {
        for (const name of SERVERS) {
          const list = measured[`${body}.${name}`] ?? [];
          const m = (pick: (s: Sample) => number) => median(list.map(pick));
          const key = `${body}.${name}`;
          figures[`${key}.cpu_us_per_req`] = m((s) => s.cpuPerRequest);
          figures[`${key}.rps`] = m((s) => s.rps);
          figures[`${key}.p50_ms`] = m((s) => s.p50Ms);
          figures[`${key}.p99_ms`] = m((s) => s.p99Ms);
          figures[`${key}.busy`] = m((s) => s.busy);
          figures[`${key}.client_cpu_us_per_req`] = m((s) => s.clientCpuPerRequest);
          table.push([
            body,
            name,
            fmt(figures[`${key}.cpu_us_per_req`] as number),
            fmt(figures[`${key}.rps`] as number),
            `${fmt(figures[`${key}.p50_ms`] as number)} / ${fmt(figures[`${key}.p99_ms`] as number)}`,
            fmt(figures[`${key}.busy`] as number),
            fmt(figures[`${key}.client_cpu_us_per_req`] as number),
          ]);
        }
        const f = (name: ServerName, what: string) => figures[`${body}.${name}.${what}`] as number;
        figures[`${body}.interplay_vs_floor.cpu`] = ratio(
          f('interplay', 'cpu_us_per_req'),
          f('floor', 'cpu_us_per_req'),
        );
        figures[`${body}.interplay_vs_bare.rps`] = ratio(f('interplay', 'rps'), f('bare', 'rps'));
        figures[`${body}.floor_vs_bare.rps`] = ratio(f('floor', 'rps'), f('bare', 'rps'));
        figures[`${body}.interplay_vs_floor.rps`] = ratio(f('interplay', 'rps'), f('floor', 'rps'));
        figures[`${body}.interplay_full_vs_normal.cpu`] = ratio(
          f('interplay_full', 'cpu_us_per_req'),
          f('interplay', 'cpu_us_per_req'),
        );
        figures[`${body}.interplay_full_vs_normal.rps`] = ratio(
          f('interplay_full', 'rps'),
          f('interplay', 'rps'),
        );
        figures[`${body}.floor_full_vs_normal.rps`] = ratio(f('floor_full', 'rps'), f('floor', 'rps'));
      }
      const ratios = [
        ['interplay / floor, CPU per request', 'interplay_vs_floor.cpu'],
        ['interplay / bare, req/s', 'interplay_vs_bare.rps'],
        ['floor / bare, req/s', 'floor_vs_bare.rps'],
        ['interplay full / normal durability, CPU', 'interplay_full_vs_normal.cpu'],
        ['interplay full / normal durability, req/s', 'interplay_full_vs_normal.rps'],
        ['floor full / normal durability, req/s', 'floor_full_vs_normal.rps'],
      ] as const;
      for (const [label, key] of ratios) {
        table.push([
          'ratio',
          label,
          ...(Object.keys(BODIES) as BodyName[]).map((b) => `${b} ${fmt(figures[`${b}.${key}`] as number)}`),
          '',
          '',
          '',
        ]);
      }

      const stored = await interplay.chain(samples.agent.id);
      return {
        name: 'server-create',
        title: serverCreate.title,
        figures,
        table,
        targets: quick
          ? []
          : [
              target(
                'Interplay CPU per agent-request create vs the durable floor (same body)',
                figures['agent.interplay_vs_floor.cpu'] as number,
                'max',
                1.5,
                '×',
              ),
              target(
                `cheap-create throughput at ${connections} clients vs bare node:http`,
                figures['cheap.interplay_vs_bare.rps'] as number,
                'min',
                0.5,
                '×',
              ),
            ],
        evidence: {
          // Every response the load generator counted reached the server (the server counts a few more: the
          // requests in flight when a window closed).
          sentVsCounted: Object.fromEntries(
            Object.keys(sent).map((k) => [k, (counted[k] ?? 0) >= (sent[k] ?? 0) && (sent[k] ?? 0) > 0]),
          ),
          storedAgentSample: stored.map((l) => ({ status: l.status, input: l.input, output: l.output })),
        },
      };
    } finally {
      await load?.close();
      await Promise.all(started.map((s) => s.close()));
    }
  },
};

/**
 * Memory: (1) resident memory of the server process with N = 1,000 background interactions waiting (a slow
 * scripted answer: one word delta per `delay_ms`, so they stay in_progress); (2) resident memory of a client
 * process holding N = 1,000 concurrent run loops, each a Runner awaiting a slow tool. Each is compared with
 * the same process idle after a warm-up. The server is measured three times: this checkout's sources started
 * with Node's compile cache warm (every start after the first on a machine), the same started without it (the
 * first start of a fresh clone, which also loads Node's TypeScript stripper), and `interplay serve` from the
 * build started without it (the first start in a fresh container: an installed package runs `dist/`, plain
 * JavaScript; lib/serve-process.ts). RSS is sampled several times (median); "after GC" forces a full
 * collection first, where the process reports its heap (the bench's server child does, `interplay serve`
 * does not: its RSS is read from /proc).
 */
import { Pool } from 'undici';
import { spawnChild } from '../lib/child.ts';
import { benchScript, MODEL, SLOW_PROMPT } from '../lib/scripts.ts';
import { buildPackages, procMemory, type ServeProcess, startServe } from '../lib/serve-process.ts';
import { type BenchServer, startInterplay, useInterplay } from '../lib/servers.ts';
import { fmt, median, sleep } from '../lib/stats.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

const MB = 1e6;
/** With SLOW_WORDS deltas this far apart, a background interaction runs for minutes. */
const SLOW_DELAY_MS = 30_000;

interface Sample {
  rss: number;
  /** Absent when the process does not report its heap (`interplay serve`, read from /proc). */
  heapUsed?: number;
}

/** A server whose memory is measured: the bench's child reports its own; `interplay serve` is read from /proc. */
interface MeasuredServer {
  url: string;
  sample(gc: boolean): Promise<Sample>;
  /** POSTs received and interactions running, as the server counts them (the bench's child only). */
  counts?(): Promise<{ posts: number; running: number }>;
}

function benchChild(server: BenchServer): MeasuredServer {
  return {
    url: server.url,
    sample: (gc) => server.stats({ gc }).then((s) => s.memory),
    counts: () => server.stats().then((s) => ({ posts: s.posts, running: s.running })),
  };
}

function serveProcess(server: ServeProcess): MeasuredServer {
  return { url: server.url, sample: async () => ({ rss: procMemory(server.pid, 'VmRSS') }) };
}

async function sampleMany<S extends Sample>(
  take: (gc: boolean) => Promise<S>,
  n: number,
  everyMs: number,
): Promise<{ rss: number; rssAfterGc: number; heapAfterGc: S['heapUsed'] }> {
  const rss: number[] = [];
  for (let i = 0; i < n; i++) {
    rss.push((await take(false)).rss);
    await sleep(everyMs);
  }
  const gc = await take(true);
  return { rss: median(rss), rssAfterGc: gc.rss, heapAfterGc: gc.heapUsed };
}

/**
 * Resident memory of `server` idle (after a warm-up) and with `n` background interactions in progress; figures
 * under `prefix`.
 */
async function measureServer(
  server: MeasuredServer,
  prefix: string,
  { n, samples, every, settle, quick, log }: MeasureOptions,
  figures: Record<string, number>,
  evidence: Record<string, unknown>,
): Promise<void> {
  const pools: Pool[] = [];
  try {
    const endpoint = '/v1beta/interactions';
    const pool = new Pool(server.url, { connections: 16 });
    pools.push(pool);
    const body = JSON.stringify({ model: MODEL, input: SLOW_PROMPT, background: true });
    const post = async (path: string, payload?: string) => {
      const res = await pool.request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        ...(payload === undefined ? {} : { body: payload }),
      });
      return { status: res.statusCode, json: (await res.body.json()) as { id: string; status?: string } };
    };
    // Warm-up: the same background creates, then cancelled (every answer of this server is slow).
    const warmIds = await Promise.all(Array.from({ length: quick ? 4 : 50 }, () => post(endpoint, body)));
    for (const w of warmIds) {
      const c = await post(`${endpoint}/${w.json.id}/cancel`);
      if (c.status !== 200) throw new Error(`warm-up cancel: HTTP ${c.status}`);
    }
    await sleep(settle);
    const stats = (gc: boolean) => server.sample(gc);
    const idle = await sampleMany(stats, samples, every);
    log(`  ${prefix} idle: ${fmt(idle.rss / MB)} MB; starting ${n} background interactions…`);
    const before = await server.counts?.();
    let created = 0;
    const statuses: Record<string, number> = {};
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (created < n) {
          created++;
          const { status: code, json } = await post(endpoint, body);
          const status = `${code} ${json.status}`;
          statuses[status] = (statuses[status] ?? 0) + 1;
          ids.push(json.id);
        }
      }),
    );
    await sleep(2 * settle);
    const loaded = await sampleMany(stats, samples, every);
    const after = await server.counts?.();
    // Read every one back: still in progress while memory was sampled?
    const stillRunning: Record<string, number> = {};
    for (const id of ids) {
      const res = await pool.request({ path: `${endpoint}/${id}`, method: 'GET' });
      const json = (await res.body.json()) as { status?: string };
      stillRunning[`${json.status}`] = (stillRunning[`${json.status}`] ?? 0) + 1;
    }
    figures[`${prefix}.idle_rss_mb`] = idle.rss / MB;
    figures[`${prefix}.loaded_rss_mb`] = loaded.rss / MB;
    figures[`${prefix}.kb_per_interaction`] = (loaded.rss - idle.rss) / n / 1e3;
    if (idle.heapAfterGc !== undefined && loaded.heapAfterGc !== undefined) {
      figures[`${prefix}.loaded_rss_after_gc_mb`] = loaded.rssAfterGc / MB;
      figures[`${prefix}.idle_heap_after_gc_mb`] = idle.heapAfterGc / MB;
      figures[`${prefix}.loaded_heap_after_gc_mb`] = loaded.heapAfterGc / MB;
      figures[`${prefix}.heap_kb_per_interaction`] = (loaded.heapAfterGc - idle.heapAfterGc) / n / 1e3;
    }
    // Created: as the server counted the POSTs when it does, else the creates answered.
    evidence[prefix] = {
      created: before && after ? after.posts - before.posts : ids.length,
      ...(after ? { running: after.running } : {}),
      statuses,
      afterSampling: stillRunning,
    };
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
}

interface MeasureOptions {
  n: number;
  samples: number;
  every: number;
  settle: number;
  quick: boolean;
  log: (line: string) => void;
}

export const memory: Scenario = {
  name: 'memory',
  title: 'Memory: 1,000 waiting background interactions (server); 1,000 concurrent run loops (client)',
  async run({ quick, log, interplay: given }: ScenarioOptions): Promise<ScenarioResult> {
    const n = quick ? 20 : 1000;
    const samples = quick ? 2 : 5;
    const every = quick ? 10 : 200;
    const settle = quick ? 50 : 1000;
    const figures: Record<string, number> = {};
    const evidence: Record<string, unknown> = {};

    // One start and stop first, so the compile cache is warm: what every start of `interplay serve` after the
    // first on a machine sees (see lib/child-entry.js). A cold start also loads Node's TypeScript stripper.
    await (await startInterplay()).close();
    // What an installed package runs, for the fresh-container start (~15 s).
    buildPackages();
    // Both processes start together (their start-up is most of a quick run).
    const clientServerP = useInterplay(given);
    const started = await Promise.allSettled([
      startInterplay({ delayMs: SLOW_DELAY_MS }),
      clientServerP,
      clientServerP.then((s) =>
        spawnChild<{ pid: number }>(new URL('../lib/runner-child.ts', import.meta.url), { url: s.url }),
      ),
    ] as const);
    const [slowP, server2P, clientP] = started;
    if (slowP.status === 'rejected' || server2P.status === 'rejected' || clientP.status === 'rejected') {
      await Promise.all(started.map((p) => (p.status === 'fulfilled' ? p.value.close() : undefined)));
      throw started.find((p) => p.status === 'rejected')?.reason;
    }
    const [server, server2, client] = [slowP.value, server2P.value, clientP.value];

    // (1) server with N background interactions in progress: after a start with the compile cache warm, then
    // after a start without it (the first start in a fresh container loads Node's TypeScript stripper too).
    const measureOptions = { n, samples, every, settle, quick, log };
    try {
      await measureServer(benchChild(server), 'server', measureOptions, figures, evidence);
      await server.close();
      const cold = await startInterplay({ delayMs: SLOW_DELAY_MS, noCompileCache: true });
      try {
        await measureServer(benchChild(cold), 'server_cold', measureOptions, figures, evidence);
      } finally {
        await cold.close();
      }
      const script = benchScript(SLOW_DELAY_MS);
      const built = await startServe({ built: true, noCompileCache: true, script });
      try {
        await measureServer(serveProcess(built), 'server_built', measureOptions, figures, evidence);
      } finally {
        await built.close();
      }
    } catch (err) {
      await Promise.all([client.close(), server2.close(), server.close()]);
      throw err;
    }

    // (2) a client process with N concurrent run loops
    try {
      const warm = await client.call<Record<string, unknown>>('warmup', { n: quick ? 2 : 20 });
      await sleep(settle);
      const take = (gc: boolean) => client.call<Required<Sample>>('sample', { gc });
      const idle = await sampleMany(take, samples, every);
      log(`  client idle: ${fmt(idle.rss / MB)} MB; starting ${n} run loops…`);
      const started = await client.call<{ inside: number }>('start', { n });
      await sleep(settle);
      const loaded = await sampleMany(take, samples, every);
      const serverWhileHeld = await server2.stats();
      const released = await client.call<Record<string, unknown>>('release');
      figures['client.idle_rss_mb'] = idle.rss / MB;
      figures['client.loaded_rss_mb'] = loaded.rss / MB;
      figures['client.loaded_rss_after_gc_mb'] = loaded.rssAfterGc / MB;
      figures['client.idle_heap_after_gc_mb'] = idle.heapAfterGc / MB;
      figures['client.loaded_heap_after_gc_mb'] = loaded.heapAfterGc / MB;
      figures['client.kb_per_run'] = (loaded.rss - idle.rss) / n / 1e3;
      figures['client.heap_kb_per_run'] = (loaded.heapAfterGc - idle.heapAfterGc) / n / 1e3;
      evidence.client = {
        warmup: warm,
        inside: started.inside,
        serverPosts: serverWhileHeld.posts,
        released,
      };
    } finally {
      await client.close();
      await server2.close();
    }

    const row = (what: string, p: 'server' | 'server_cold' | 'server_built' | 'client', unit: string) => {
      const heap = figures[`${p}.idle_heap_after_gc_mb`] !== undefined;
      return [
        what,
        fmt(figures[`${p}.idle_rss_mb`] as number),
        fmt(figures[`${p}.loaded_rss_mb`] as number),
        heap ? fmt(figures[`${p}.loaded_rss_after_gc_mb`] as number) : '—',
        heap
          ? `${fmt(figures[`${p}.idle_heap_after_gc_mb`] as number)} → ${fmt(figures[`${p}.loaded_heap_after_gc_mb`] as number)}`
          : '—',
        fmt(figures[p === 'client' ? 'client.kb_per_run' : `${p}.kb_per_interaction`] as number) + unit,
      ];
    };
    return {
      name: 'memory',
      title: memory.title,
      figures,
      table: [
        [
          'process',
          'idle RSS MB',
          `RSS MB, ${n} waiting`,
          'same after GC',
          'heap MB after GC',
          'RSS per item',
        ],
        row(`server, ${n} background interactions`, 'server', ' KB'),
        row(`server from the sources started without compile cache, ${n} background`, 'server_cold', ' KB'),
        row(
          `interplay serve from the build started without compile cache, ${n} background`,
          'server_built',
          ' KB',
        ),
        row(`client, ${n} Runner loops in a tool`, 'client', ' KB'),
      ],
      targets: quick
        ? []
        : [
            target(
              `server RSS with ${n} waiting background interactions`,
              figures['server.loaded_rss_mb'] as number,
              'max',
              150,
              'MB',
            ),
            // A fresh container runs an installed package: the build, without compile cache. (The sources
            // without it, `server_cold`, are a fresh clone's first start: reported, not a target.)
            target(
              `interplay serve from the build with ${n} waiting background interactions, no compile cache`,
              figures['server_built.loaded_rss_mb'] as number,
              'max',
              150,
              'MB',
            ),
          ],
      evidence,
    };
  },
};

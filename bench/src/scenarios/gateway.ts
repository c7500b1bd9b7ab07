/**
 * The server as a gateway: clients stream answers from a fake OpenAI-style upstream that sends 16 tokens at a
 * fixed pace (one every 5 ms), (a) directly, (b) through Interplay (`openai` provider; Interactions create with
 * `stream: true`, `store: false` — and `store: true`, which also stores the event log), (c) through the Portkey
 * gateway (`@portkey-ai/gateway`, OpenAI-compatible passthrough with `x-portkey-custom-host`), (d) through the
 * bare Node gateway (lib/bare-gateway.ts: `node:http` + undici, one frame per token, nothing else) — the floor
 * of what a Node process doing this job pays, beside which the other figures read — and (e) through nginx as
 * a plain reverse proxy of the Chat Completions request (lib/nginx-proxy.ts, when installed): no translation,
 * so not a peer, but what one more loopback hop costs on this machine in C. Variants are
 * interleaved (rotating order each round), the first round is warm-up. Reported: time to the first token (the
 * first content delta) p50/p95 and what each gateway adds to the direct p50; each gateway process's CPU per
 * request and per streamed token, at 1 and 32 concurrent clients.
 */
import { Pool } from 'undici';
import {
  type GatewayProcess,
  startBareGateway,
  startInterplayGateway,
  startPacedUpstream,
  startPortkey,
} from '../lib/gateway-processes.ts';
import { findNginx, startNginxProxy } from '../lib/nginx-proxy.ts';
import { fmt, median, p95, rotate } from '../lib/stats.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

const TOKENS = 16;
const PACE_MS = 5;
const ALL_VARIANTS = ['direct', 'interplay', 'interplay-stored', 'portkey', 'bare', 'nginx'] as const;
type Variant = (typeof ALL_VARIANTS)[number];

function perVariant<T>(make: () => T): Record<Variant, T> {
  return Object.fromEntries(ALL_VARIANTS.map((v) => [v, make()])) as Record<Variant, T>;
}

interface Read {
  ttftMs: number;
  tokens: number;
  done: boolean;
}

export const gateway: Scenario = {
  name: 'gateway',
  title: 'Gateway: added time to first token and CPU, Interplay vs Portkey in front of a paced upstream',
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const upstream = await startPacedUpstream(TOKENS, PACE_MS);
    const started: GatewayProcess[] = [];
    try {
      const interplay = await startInterplayGateway(upstream.url);
      started.push(interplay);
      const portkey = await startPortkey();
      started.push(portkey);
      const bare = await startBareGateway(upstream.url);
      started.push(bare);
      const nginxBinary = findNginx();
      const nginx = nginxBinary ? await startNginxProxy(nginxBinary, upstream.url) : undefined;
      if (nginx) started.push(nginx);
      else log('  nginx not found (apt-get install nginx-light, or BENCH_NGINX=path): its row is left out');
      const variants = ALL_VARIANTS.filter((v) => v !== 'nginx' || nginx);
      const targets = {
        direct: {
          process: undefined,
          ...request(upstream.url.replace(/\/v1$/, ''), '/v1/chat/completions', chatBody(), {}),
        },
        interplay: {
          process: interplay,
          ...request(interplay.url, '/v1beta/interactions', interactionBody(false), {}),
        },
        'interplay-stored': {
          process: interplay,
          ...request(interplay.url, '/v1beta/interactions', interactionBody(true), {}),
        },
        portkey: {
          process: portkey,
          ...request(portkey.url, '/v1/chat/completions', chatBody(), {
            'x-portkey-provider': 'openai',
            'x-portkey-custom-host': upstream.url,
            authorization: 'Bearer bench-key',
          }),
        },
        bare: {
          process: bare,
          ...request(bare.url, '/v1beta/interactions', interactionBody(false), {}),
        },
        nginx: {
          process: nginx,
          ...request(nginx?.url ?? '', '/v1/chat/completions', chatBody(), {}),
        },
      } satisfies Record<Variant, unknown>;
      const figures: Record<string, number> = {};
      const table: string[][] = [
        ['clients', 'variant', 'TTFT p50 ms', 'p95 ms', 'added p50 ms', 'CPU ms/request', 'CPU µs/token'],
      ];
      let sent = 0;
      let incomplete = 0;
      for (const clients of [1, 32]) {
        const rounds = quick ? 2 : 6;
        const perClient = quick ? 2 : clients === 1 ? 25 : 5;
        const ttft = perVariant<number[]>(() => []);
        const cpu = perVariant(() => 0);
        const counted = perVariant(() => 0);
        const pools = new Map<Variant, Pool>(
          variants.map((v) => [
            v,
            new Pool(targets[v].origin, { connections: clients, keepAliveTimeout: 30_000 }),
          ]),
        );
        try {
          for (let round = 0; round < rounds; round++) {
            for (const variant of rotate(variants, round)) {
              const t = targets[variant];
              const cpu0 = t.process?.cpuMicros() ?? 0;
              const reads = await Promise.all(
                Array.from({ length: clients }, async () => {
                  const out: Read[] = [];
                  for (let i = 0; i < perClient; i++) out.push(await readStream(pools.get(variant)!, t));
                  return out;
                }),
              );
              const cpu1 = t.process?.cpuMicros() ?? 0;
              sent += clients * perClient;
              for (const r of reads.flat()) if (!r.done || r.tokens !== TOKENS) incomplete++;
              if (round === 0) continue; // warm-up
              ttft[variant].push(...reads.flat().map((r) => r.ttftMs));
              cpu[variant] += cpu1 - cpu0;
              counted[variant] += clients * perClient;
            }
          }
        } finally {
          await Promise.all([...pools.values()].map((p) => p.close()));
        }
        const directP50 = median(ttft.direct);
        for (const variant of variants) {
          const p50 = median(ttft[variant]);
          const added = p50 - directP50;
          const perRequestMs = counted[variant] ? cpu[variant] / counted[variant] / 1000 : 0;
          const perTokenUs = (perRequestMs * 1000) / TOKENS;
          const key = `c${clients}.${variant}`;
          figures[`${key}.ttft_p50_ms`] = p50;
          figures[`${key}.ttft_p95_ms`] = p95(ttft[variant]);
          if (variant !== 'direct') {
            figures[`${key}.added_p50_ms`] = added;
            figures[`${key}.cpu_ms_per_request`] = perRequestMs;
            figures[`${key}.cpu_us_per_token`] = perTokenUs;
          }
          table.push([
            String(clients),
            variant,
            fmt(p50),
            fmt(p95(ttft[variant])),
            variant === 'direct' ? '—' : fmt(added),
            variant === 'direct' ? '—' : fmt(perRequestMs),
            variant === 'direct' ? '—' : fmt(perTokenUs),
          ]);
        }
        log(`  ${clients} client(s): ${counted.direct} measured requests per variant`);
      }
      const upstreamRequests = await upstream.requests();
      const ratio = (c: number, of: Variant, to: Variant) =>
        figures[`c${c}.${to}.cpu_ms_per_request`]
          ? (figures[`c${c}.${of}.cpu_ms_per_request`] ?? 0) /
            (figures[`c${c}.${to}.cpu_ms_per_request`] as number)
          : 0;
      const cpuRatio = (c: number) => ratio(c, 'interplay', 'portkey');
      for (const c of [1, 32]) {
        figures[`c${c}.cpu_ratio_interplay_to_portkey`] = cpuRatio(c);
        // How far the target is from the floor: the bare gateway's CPU against Portkey's, and ours against it.
        figures[`c${c}.cpu_ratio_bare_to_portkey`] = ratio(c, 'bare', 'portkey');
        figures[`c${c}.cpu_ratio_interplay_to_bare`] = ratio(c, 'interplay', 'bare');
      }
      return {
        name: 'gateway',
        title: gateway.title,
        figures,
        table,
        targets: [
          target(
            'Interplay adds to the first token, p50, 1 client',
            figures['c1.interplay.added_p50_ms'] ?? 0,
            'max',
            0.5,
            'ms',
          ),
          target('Interplay CPU per request vs Portkey, 1 client', cpuRatio(1), 'max', 0.5, '×'),
          target('Interplay CPU per request vs Portkey, 32 clients', cpuRatio(32), 'max', 0.5, '×'),
        ],
        evidence: { sent, upstreamRequests, incomplete },
      };
    } finally {
      for (const p of started.reverse()) await p.close().catch(() => {});
      await upstream.close();
    }
  },
};

interface Target {
  origin: string;
  path: string;
  body: string;
  headers: Record<string, string>;
}

function request(origin: string, path: string, body: string, headers: Record<string, string>): Target {
  return { origin, path, body, headers: { 'content-type': 'application/json', ...headers } };
}

function chatBody(): string {
  return JSON.stringify({
    model: 'bench',
    messages: [{ role: 'user', content: 'Hello' }],
    stream: true,
    stream_options: { include_usage: true },
  });
}

function interactionBody(store: boolean): string {
  return JSON.stringify({ model: 'bench', input: 'Hello', stream: true, store });
}

/** Streams one answer: the time until its first token (`tok0`) arrives, how many tokens, and whether it ended. */
async function readStream(pool: Pool, t: Target): Promise<Read> {
  const start = performance.now();
  const res = await pool.request({ method: 'POST', path: t.path, headers: t.headers, body: t.body });
  if (res.statusCode !== 200)
    throw new Error(`${t.origin}${t.path}: HTTP ${res.statusCode}: ${await res.body.text()}`);
  res.body.setEncoding('utf8');
  let ttftMs = Number.NaN;
  let text = '';
  for await (const chunk of res.body as AsyncIterable<string>) {
    text += chunk;
    if (Number.isNaN(ttftMs) && text.includes('tok0')) ttftMs = performance.now() - start;
  }
  return { ttftMs, tokens: text.match(/tok\d+/g)?.length ?? 0, done: /\[DONE\]\s*$/.test(text) };
}

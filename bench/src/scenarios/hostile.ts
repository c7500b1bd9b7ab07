/**
 * Hostile inputs against a real `interplay serve` (issue 19, point 1): while requests sized to hurt run — one
 * long word as a Deep Research question and as a search query, the worst case of the default script's weather
 * regex, a million words echoed by its fallback template — how fast does the server's health check answer,
 * and how much does the server process grow? Before the bounds, a 30,000-character word took the server over a
 * gigabyte and froze it for seconds.
 *
 * The server is the CLI's own `serve` (offline default: scripted model, bundled search corpus and pages, Deep
 * Research) in a child process; this process sends the hostile requests and probes `/healthz` one request at a
 * time, first with nothing else running (the same server at rest), then while the hostile requests run. The
 * server's memory is read from /proc (VmRSS sampled with each probe, and the kernel's peak VmHWM).
 */
import { Agent, request } from 'undici';
import { procMemory, type ServeProcess, startServe } from '../lib/serve-process.ts';
import { fmt, percentile, ratio } from '../lib/stats.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

const MB = 1024 * 1024;
const DEEP_RESEARCH = 'deep-research-pro-preview-12-2025';
const WEATHER_TOOL = { type: 'function', name: 'get_weather', parameters: { type: 'object' } };

async function post(url: string, body: object, dispatcher: Agent): Promise<string> {
  const res = await request(`${url}/v1beta/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    dispatcher,
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`create: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
  return text;
}

/** A background Deep Research run on `question`, resolved when its stream ends (the run has finished). */
async function research(url: string, question: string, dispatcher: Agent): Promise<void> {
  const started = JSON.parse(
    await post(
      url,
      { agent: DEEP_RESEARCH, background: true, input: question, tools: [{ type: 'google_search' }] },
      dispatcher,
    ),
  ) as { id: string };
  const res = await request(`${url}/v1beta/interactions/${started.id}?stream=true`, { dispatcher });
  const text = await res.body.text();
  if (!text.includes('interaction.completed')) throw new Error(`research ${started.id} did not complete`);
}

/** The hostile requests; `size` scales the long word (30,000 characters in a full run). */
function hostile(url: string, size: number, dispatcher: Agent): Promise<unknown>[] {
  const word = 'x'.repeat(size);
  return [
    research(url, word, dispatcher),
    post(url, { model: 'm', input: word, tools: [{ type: 'google_search' }] }, dispatcher),
    post(url, { model: 'm', input: 'weather in a '.repeat(size / 6), tools: [WEATHER_TOOL] }, dispatcher),
    post(url, { model: 'm', input: 'a '.repeat(size * 33), stream: true }, dispatcher),
  ];
}

/** Probes `/healthz` one request at a time until `until` settles (or `count` probes when given). */
async function probeHealth(
  server: ServeProcess,
  dispatcher: Agent,
  until: { settled: () => boolean } | { count: number },
): Promise<{ latencies: number[]; rssPeak: number }> {
  const latencies: number[] = [];
  let rssPeak = procMemory(server.pid, 'VmRSS');
  const more = () => ('count' in until ? latencies.length < until.count : !until.settled());
  while (more()) {
    const started = performance.now();
    const res = await request(`${server.url}/healthz`, { dispatcher });
    await res.body.text();
    latencies.push(performance.now() - started);
    if (res.statusCode !== 200) throw new Error(`healthz: HTTP ${res.statusCode}`);
    rssPeak = Math.max(rssPeak, procMemory(server.pid, 'VmRSS'));
  }
  return { latencies, rssPeak };
}

async function run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
  const size = quick ? 3_000 : 30_000;
  const rounds = quick ? 1 : 3;
  const server = await startServe();
  const traffic = new Agent({ connections: 8 });
  const probes = new Agent({ connections: 1 });
  const figures: Record<string, number> = {};
  const rest: number[] = [];
  const during: number[] = [];
  let growth = 0;
  try {
    // Ordinary requests first (code loaded on first use is not what is measured), then the same server at rest.
    await Promise.all([
      research(server.url, 'Research the history of Google TPUs.', traffic),
      post(server.url, { model: 'm', input: 'TPU', tools: [{ type: 'google_search' }] }, traffic),
      post(server.url, { model: 'm', input: 'weather in Paris', tools: [WEATHER_TOOL] }, traffic),
    ]);
    for (let round = 1; round <= rounds; round++) {
      rest.push(...(await probeHealth(server, probes, { count: quick ? 20 : 200 })).latencies);
      const baseline = procMemory(server.pid, 'VmRSS');
      const hwmBefore = procMemory(server.pid, 'VmHWM');
      let settled = false;
      const all = Promise.all(hostile(server.url, size, traffic)).finally(() => {
        settled = true;
      });
      const probed = await probeHealth(server, probes, { settled: () => settled });
      await all;
      during.push(...probed.latencies);
      const hwmGrowth = procMemory(server.pid, 'VmHWM') - hwmBefore;
      growth = Math.max(growth, probed.rssPeak - baseline, hwmGrowth);
      log(
        `  round ${round}: ${probed.latencies.length} probes during, max ${fmt(Math.max(...probed.latencies))} ms, ` +
          `server grew ${fmt((probed.rssPeak - baseline) / MB)} MB (peak ${fmt(hwmGrowth / MB)} MB)`,
      );
    }
  } finally {
    await Promise.all([traffic.close(), probes.close()]);
    await server.close();
  }
  const restP99 = percentile(rest, 99);
  const duringP99 = percentile(during, 99);
  const duringMax = Math.max(...during);
  Object.assign(figures, {
    'health.rest.p50_ms': percentile(rest, 50),
    'health.rest.p99_ms': restP99,
    'health.during.p50_ms': percentile(during, 50),
    'health.during.p99_ms': duringP99,
    'health.during.max_ms': duringMax,
    'health.during_vs_rest.p99': ratio(duringP99, restP99),
    'server.growth_mb': growth / MB,
  });
  return {
    name: 'hostile',
    title: 'Hostile inputs: the health check and the server’s memory while requests sized to hurt run',
    figures,
    table: [
      ['health check', 'p50 ms', 'p99 ms', 'max ms', 'probes'],
      ['at rest', fmt(percentile(rest, 50)), fmt(restP99), fmt(Math.max(...rest)), String(rest.length)],
      [
        'during hostile requests',
        fmt(percentile(during, 50)),
        fmt(duringP99),
        fmt(duringMax),
        String(during.length),
      ],
      ['server growth MB (largest round)', fmt(growth / MB), '', '', ''],
    ],
    targets: [
      target('health check during hostile requests, slowest answer', duringMax, 'below', 100, 'ms'),
      target('server memory growth during hostile requests', growth / MB, 'below', 100, 'MB'),
    ],
    evidence: { probesAtRest: rest.length, probesDuring: during.length, wordLength: size, rounds },
  };
}

export const hostileInputs: Scenario = {
  name: 'hostile',
  title: 'Hostile inputs (issue 19): health check latency and memory growth',
  run,
};

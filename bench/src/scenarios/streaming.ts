/**
 * Streaming: (1) time to the first event of a streamed create (`POST … stream:true`, store:true), next to the
 * time to a whole non-stream answer of the bare node:http server (the floor of one loopback exchange);
 * (2) replay of a long stored event log — an interaction whose scripted answer streams N word deltas
 * (N = 10,000, so the log holds ~10,000 events) is created once, then `GET …?stream=true` reads the whole
 * log back, several times.
 */
import { Agent, request } from 'undici';
import { MODEL, wordsPrompt } from '../lib/scripts.ts';
import { startBare, useInterplay } from '../lib/servers.ts';
import { readSse } from '../lib/sse.ts';
import { fmt, median, p95, rotate } from '../lib/stats.ts';
import type { Scenario, ScenarioOptions, ScenarioResult } from './types.ts';

const STREAM_BODY = JSON.stringify({ model: MODEL, input: 'Hello', stream: true });

export const streaming: Scenario = {
  name: 'streaming',
  title: 'Streaming: time to first event; GET-stream replay of a 10,000-event log',
  async run({ quick, log, interplay: given }: ScenarioOptions): Promise<ScenarioResult> {
    const samples = quick ? 3 : 300;
    const warmup = quick ? 1 : 30;
    const words = quick ? 50 : 10_000;
    const replays = quick ? 2 : 7;
    const server = await useInterplay(given);
    const bare = await startBare('{"status":"completed"}');
    const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
    try {
      const endpoint = `${server.url}/v1beta/interactions`;
      // (1) time to first event, interleaved with the bare server's whole exchange
      const ttfe: number[] = [];
      const streamTotal: number[] = [];
      const bareMs: number[] = [];
      let firstStream: Awaited<ReturnType<typeof readSse>> | undefined;
      for (let i = 0; i < warmup + samples; i++) {
        for (const which of rotate(['interplay', 'bare'] as const, i)) {
          if (which === 'interplay') {
            const r = await readSse(endpoint, { method: 'POST', body: STREAM_BODY, dispatcher });
            if (r.status !== 200 || !r.done) throw new Error(`stream: HTTP ${r.status}, done=${r.done}`);
            firstStream ??= r;
            if (i >= warmup) {
              ttfe.push(r.firstEventMs);
              streamTotal.push(r.totalMs);
            }
          } else {
            const t0 = performance.now();
            const res = await request(bare.url, { method: 'POST', body: '{}', dispatcher });
            await res.body.text();
            if (i >= warmup) bareMs.push(performance.now() - t0);
          }
        }
      }

      // (2) replay of a long log
      log(`  creating an interaction that streams ${words.toLocaleString('en-US')} word deltas…`);
      const t0 = performance.now();
      // In the background: the create answers at once, and the log is stored in batches as it runs.
      const created = await request(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL, input: wordsPrompt(words), background: true }),
        dispatcher,
      });
      const createdJson = (await created.body.json()) as { id: string; status: string };
      if (created.statusCode !== 200) throw new Error(`long create: HTTP ${created.statusCode}`);
      let status = createdJson.status;
      while (status !== 'completed') {
        if (status !== 'in_progress') throw new Error(`long create ended ${status}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        const polled = await request(`${endpoint}/${createdJson.id}`, { method: 'GET', dispatcher });
        status = ((await polled.body.json()) as { status: string }).status;
      }
      const createMs = performance.now() - t0;
      const warningsBefore = (await server.stats()).warnings.length;
      const replay: Awaited<ReturnType<typeof readSse>>[] = [];
      for (let i = 0; i < replays; i++) {
        const r = await readSse(`${endpoint}/${createdJson.id}?stream=true`, { method: 'GET', dispatcher });
        if (r.status !== 200 || !r.done) throw new Error(`replay: HTTP ${r.status}, done=${r.done}`);
        replay.push(r);
      }
      // What the server process warned about while replaying (e.g. listeners piling up on a response).
      const replayWarnings = (await server.stats()).warnings.slice(warningsBefore);
      const measured = replay.slice(quick ? 0 : 1); // the first replay warms the path up
      const replayMs = median(measured.map((r) => r.totalMs));
      const events = replay[0]?.events ?? 0;
      const bytes = replay[0]?.bytes ?? 0;
      const figures = {
        'ttfe.median_ms': median(ttfe),
        'ttfe.p95_ms': p95(ttfe),
        'stream_total.median_ms': median(streamTotal),
        'bare_exchange.median_ms': median(bareMs),
        'replay.events': events,
        'replay.bytes': bytes,
        'replay.median_ms': replayMs,
        'replay.first_event_median_ms': median(measured.map((r) => r.firstEventMs)),
        'replay.events_per_s': events / (replayMs / 1000),
        'replay.mb_per_s': bytes / 1e6 / (replayMs / 1000),
        'replay.server_warnings': replayWarnings.length,
        long_create_ms: createMs,
      };
      return {
        name: 'streaming',
        title: streaming.title,
        figures,
        table: [
          ['what', 'median', 'p95'],
          ['time to first event, POST stream:true (ms)', fmt(median(ttfe)), fmt(p95(ttfe))],
          ['whole short stream, POST stream:true (ms)', fmt(median(streamTotal)), fmt(p95(streamTotal))],
          ['bare node:http whole exchange (ms)', fmt(median(bareMs)), fmt(p95(bareMs))],
          [`create of the ${events.toLocaleString('en-US')}-event interaction (ms, once)`, fmt(createMs), ''],
          [
            `replay of ${events.toLocaleString('en-US')} events, ${fmt(bytes / 1e6)} MB (ms)`,
            fmt(replayMs),
            fmt(p95(measured.map((r) => r.totalMs))),
          ],
          ['replay: time to first event (ms)', fmt(figures['replay.first_event_median_ms']), ''],
          ['replay throughput (events/s)', fmt(figures['replay.events_per_s']), ''],
          ['replay throughput (MB/s)', fmt(figures['replay.mb_per_s']), ''],
          [`server warnings during the ${replays} replays`, String(replayWarnings.length), ''],
        ],
        targets: [],
        evidence: {
          firstStream: firstStream && {
            events: firstStream.events,
            firstEventType: firstStream.firstEventType,
            done: firstStream.done,
          },
          longInteraction: { id: createdJson.id, status, words },
          replayEvents: replay.map((r) => r.events),
          replayFirstEventType: replay[0]?.firstEventType,
          replayWarnings: [...new Set(replayWarnings)],
        },
      };
    } finally {
      await dispatcher.close();
      await Promise.all([server.close(), bare.close()]);
    }
  },
};

/**
 * Streaming fan-out: 256 concurrent `stream: true` creates, each streaming 1,000 word deltas with the scripted
 * model pausing 1 ms after each, read by a load process of their own (lib/fanout-reader.ts); next to a bare
 * node:http SSE server sending the same bytes (one Interplay stream, captured first) at the same pace. Rounds
 * alternate between the two. Figures: events per second over all streams, the gap between a stream's
 * consecutive events (p50, p99, max), time to the first event, server CPU per event.
 */
import { request } from 'undici';
import type { FanoutResult } from '../lib/fanout-reader.ts';
import { type LoadProcess, startLoad } from '../lib/load.ts';
import { CREATE_PATH } from '../lib/requests.ts';
import { MODEL, wordsPrompt } from '../lib/scripts.ts';
import { type BenchServer, startBareSse, startInterplay, useInterplay } from '../lib/servers.ts';
import { fmt, median, permutation, pushTo, ratio } from '../lib/stats.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

const PACE_MS = 1;
const SERVERS = ['interplay', 'bare'] as const;
type ServerName = (typeof SERVERS)[number];

/** One Interplay stream, as the events it sent (each with its blank line). */
async function captureStream(url: string, body: string): Promise<string[]> {
  const res = await request(`${url}${CREATE_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`stream: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
  return text.split(/(?<=\n\n)/).filter((e) => e.trim() !== '');
}

interface Sample extends FanoutResult {
  serverCpuPerEvent: number;
}

export const streamFanout: Scenario = {
  name: 'stream-fanout',
  title: 'Streaming fan-out: 256 concurrent streamed creates of 1,000 deltas at 1 ms, vs a bare SSE writer',
  // One run's events/s and gap ratios move by more than their distance to the targets (0.655–0.82× over eight).
  defaultRuns: 3,
  async run({ quick, log, interplay: given }: ScenarioOptions): Promise<ScenarioResult> {
    const streams = quick ? 8 : 256;
    const words = quick ? 50 : 1000;
    const rounds = quick ? 1 : 3;
    const body = JSON.stringify({ model: MODEL, input: wordsPrompt(words), stream: true });
    const started: BenchServer[] = [];
    let load: LoadProcess | undefined;
    try {
      // A server of its own: its script paces every event (the quick smoke test may share one without delay).
      const interplay =
        given && quick ? await useInterplay(given) : await startInterplay({ delayMs: PACE_MS });
      started.push(interplay);
      const events = await captureStream(interplay.url, body);
      const bare = await startBareSse(events, PACE_MS, 'step.delta');
      started.push(bare);
      const servers: Record<ServerName, BenchServer> = { interplay, bare };
      load = await startLoad();
      log(
        `  ${rounds} rounds × {interplay, bare}, ${streams} streams × ${events.length} events ` +
          `(${words} deltas, ${PACE_MS} ms apart), reader pid ${load.pid}`,
      );
      const samples: Record<string, Sample[]> = {};
      for (let r = 0; r < rounds; r++) {
        for (const name of permutation(SERVERS, r)) {
          const server = servers[name];
          const before = await server.stats();
          const result = await load.fanout({
            url: server.url,
            path: CREATE_PATH,
            method: 'POST',
            body,
            streams,
          });
          const after = await server.stats();
          if (result.completed !== streams)
            throw new Error(`${name}: ${result.completed}/${streams} streams ended`);
          pushTo(samples, name, {
            ...result,
            serverCpuPerEvent: (after.cpuMicros - before.cpuMicros) / result.events,
          });
        }
      }
      const figures: Record<string, number> = {};
      const table: string[][] = [
        [
          'server',
          'events/s',
          'gap p50 / p99 / max ms',
          'first event p50 ms',
          'server CPU µs/event',
          'events',
        ],
      ];
      for (const name of SERVERS) {
        const list = samples[name] ?? [];
        const m = (pick: (s: Sample) => number) => median(list.map(pick));
        figures[`${name}.events_per_s`] = m((s) => s.eventsPerSecond);
        figures[`${name}.gap_p50_ms`] = m((s) => s.gapP50Ms);
        figures[`${name}.gap_p99_ms`] = m((s) => s.gapP99Ms);
        figures[`${name}.gap_max_ms`] = m((s) => s.gapMaxMs);
        figures[`${name}.first_event_p50_ms`] = m((s) => s.firstEventP50Ms);
        figures[`${name}.server_cpu_us_per_event`] = m((s) => s.serverCpuPerEvent);
        figures[`${name}.reader_cpu_us_per_event`] = m((s) => s.clientCpuMicros / s.events);
        table.push([
          name,
          fmt(figures[`${name}.events_per_s`] as number),
          `${fmt(figures[`${name}.gap_p50_ms`] as number)} / ${fmt(figures[`${name}.gap_p99_ms`] as number)} / ${fmt(figures[`${name}.gap_max_ms`] as number)}`,
          fmt(figures[`${name}.first_event_p50_ms`] as number),
          fmt(figures[`${name}.server_cpu_us_per_event`] as number),
          String(list[0]?.events ?? 0),
        ]);
      }
      figures['ratio.events_per_s'] = ratio(
        figures['interplay.events_per_s'] as number,
        figures['bare.events_per_s'] as number,
      );
      figures['ratio.gap_p99'] = ratio(
        figures['interplay.gap_p99_ms'] as number,
        figures['bare.gap_p99_ms'] as number,
      );
      table.push([
        'interplay / bare',
        fmt(figures['ratio.events_per_s'] as number),
        `p99 ${fmt(figures['ratio.gap_p99'] as number)}`,
        '',
        '',
        '',
      ]);
      return {
        name: 'stream-fanout',
        title: streamFanout.title,
        figures,
        table,
        targets: quick
          ? []
          : [
              target(
                `events/s over ${streams} streams vs a bare SSE writer`,
                figures['ratio.events_per_s'] as number,
                'min',
                0.7,
                '×',
              ),
              target(
                'p99 gap between a stream’s events vs the bare SSE writer',
                figures['ratio.gap_p99'] as number,
                'max',
                2,
                '×',
              ),
            ],
        evidence: {
          // The terminating `done` is not an event for the reader.
          capturedEvents: events.filter((e) => !e.startsWith('event: done\n')).length,
          deltasCaptured: events.filter((e) => e.startsWith('event: step.delta\n')).length,
          eventsPerStream: Object.fromEntries(
            SERVERS.map((n) => [n, (samples[n] ?? []).map((s) => s.events / s.streams)]),
          ),
          completed: Object.fromEntries(SERVERS.map((n) => [n, (samples[n] ?? []).map((s) => s.completed)])),
        },
      };
    } finally {
      await load?.close();
      await Promise.all(started.map((s) => s.close()));
    }
  },
};

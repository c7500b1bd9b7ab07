/**
 * Server instructions per request, counted by valgrind's callgrind (lib/callgrind.ts) in the server process
 * alone: the CPU-per-request figures of server-create and conversations in a unit that other load on the
 * machine does not move. Each server runs under callgrind; requests go one at a time from this process; a
 * warm-up of the same requests runs uncounted first.
 *
 * - Creates, cheap and agent body, Interplay vs the durable floor (lib/server-child.ts).
 * - A conversation turn with nothing in memory: chains of the agent request are built to depth D by a normal
 *   server on a SQLite file, then Interplay is started under callgrind on that file and continues each chain
 *   once (turn D + 1, its history read from the store), next to first turns of new chains.
 *
 * Skipped (no figures) when valgrind is not installed (`apt-get install valgrind`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { countInstructions, hasValgrind } from '../lib/callgrind.ts';
import { startLoad } from '../lib/load.ts';
import { agentBody, CHEAP_BODY, CREATE_PATH } from '../lib/requests.ts';
import { type BenchServer, startFloor, startInterplay } from '../lib/servers.ts';
import { fmt, ratio } from '../lib/stats.ts';
import { sampleCreate } from './server-create.ts';
import { type Scenario, type ScenarioOptions, type ScenarioResult, target } from './types.ts';

/** Connections reset under callgrind (a server this slow races its own keep-alive timer): counted, retried. */
let resets = 0;

async function post(url: string, body: string, dispatcher: Agent): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await request(`${url}${CREATE_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        dispatcher,
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`create: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
      return (JSON.parse(text) as { id: string }).id;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ECONNRESET' || attempt === 3) throw err;
      resets++;
    }
  }
}

/** Instructions per request of `bodies` (sent in order), after the same number of uncounted warm-up ones. */
async function perRequest(
  server: BenchServer,
  outFile: string,
  warmup: string[],
  bodies: string[],
): Promise<number> {
  // A connection per phase: under callgrind, turning counting on can take longer than the server keeps an idle
  // connection open.
  const send = async (list: string[]) => {
    const dispatcher = new Agent({ keepAliveTimeout: 1_000 });
    try {
      for (const body of list) await post(server.url, body, dispatcher);
    } finally {
      await dispatcher.close();
    }
  };
  await send(warmup);
  const total = await countInstructions(
    server.pid,
    outFile,
    () => server.stats(),
    () => send(bodies),
  );
  return total / bodies.length;
}

export const instructions: Scenario = {
  name: 'instructions',
  title:
    'Server instructions per request (callgrind): creates vs the durable floor; a cold conversation turn',
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const empty = (why: string): ScenarioResult => ({
      name: 'instructions',
      title: instructions.title,
      figures: {},
      table: [['skipped'], [why]],
      targets: [],
      evidence: { skipped: why },
    });
    if (!hasValgrind()) return empty('valgrind is not installed');
    const n = quick ? 3 : 200;
    const depth = quick ? 3 : 50;
    const dir = mkdtempSync(join(tmpdir(), 'interplay-callgrind-'));
    const figures: Record<string, number> = {};
    const table: string[][] = [['what', 'server', 'instructions per request']];
    const started: BenchServer[] = [];
    const load = await startLoad();
    try {
      const repeat = (body: string) => Array.from({ length: n }, () => body);
      const bodies = { cheap: CHEAP_BODY, agent: agentBody(1) };
      log(`  creates: ${n} counted after ${n} uncounted, per body and server (under callgrind: slow)`);
      const interplay = await startInterplay({ callgrindOut: join(dir, 'interplay.cg') });
      started.push(interplay);
      for (const [name, body] of Object.entries(bodies)) {
        const floor = await startFloor((await sampleCreate(interplay.url, body)).body, {
          callgrindOut: join(dir, `floor-${name}.cg`),
        });
        started.push(floor);
        for (const [server, out] of [
          [interplay, 'interplay.cg'],
          [floor, `floor-${name}.cg`],
        ] as const) {
          const label = server === interplay ? 'interplay' : 'floor';
          const count = await perRequest(server, join(dir, out), repeat(body), repeat(body));
          figures[`create.${name}.${label}`] = count;
          table.push([`create, ${name} body`, label, fmt(count)]);
        }
        figures[`create.${name}.interplay_vs_floor`] = ratio(
          figures[`create.${name}.interplay`] as number,
          figures[`create.${name}.floor`] as number,
        );
        table.push([
          `create, ${name} body`,
          'interplay / floor',
          fmt(figures[`create.${name}.interplay_vs_floor`] as number),
        ]);
      }
      await Promise.all(started.splice(0).map((s) => s.close()));

      // Conversations: 2n chains built to `depth` by a normal server, then continued under callgrind.
      log(`  conversation: building ${2 * n} chains × ${depth} turns…`);
      const dbPath = join(dir, 'chains.db');
      const builder = await startInterplay({ dbPath });
      try {
        for (let turn = 1; turn <= depth; turn++) {
          await load.chains({
            name: 'callgrind',
            count: 2 * n,
            url: builder.url,
            concurrency: 8,
            tag: 'callgrind',
          });
        }
      } finally {
        await builder.close();
      }
      const heads = (await load.chainHeads('callgrind')) as string[];
      const cold = await startInterplay({ dbPath, callgrindOut: join(dir, 'chains.cg') });
      started.push(cold);
      const next = (from: number) => heads.slice(from, from + n).map((id) => agentBody(depth + 1, id));
      const deep = await perRequest(cold, join(dir, 'chains.cg'), next(0), next(n));
      const first = await perRequest(
        cold,
        join(dir, 'chains.cg'),
        repeat(agentBody(1)),
        repeat(agentBody(1)),
      );
      figures['conversation.turn1'] = first;
      figures[`conversation.turn${depth + 1}_cold`] = deep;
      figures['conversation.deep_vs_first'] = ratio(deep, first);
      table.push(
        ['conversation, first turn', 'interplay', fmt(first)],
        [`conversation, turn ${depth + 1}, nothing in memory`, 'interplay', fmt(deep)],
        ['conversation', `turn ${depth + 1} / turn 1`, fmt(figures['conversation.deep_vs_first'] as number)],
      );
      return {
        name: 'instructions',
        title: instructions.title,
        figures,
        table,
        targets: quick
          ? []
          : [
              target(
                'Interplay instructions per agent-request create vs the durable floor',
                figures['create.agent.interplay_vs_floor'] as number,
                'max',
                1.5,
                '×',
              ),
              target(
                `instructions of turn ${depth + 1} with nothing in memory vs a first turn`,
                figures['conversation.deep_vs_first'] as number,
                'max',
                1.5,
                '×',
              ),
            ],
        evidence: { chains: heads.length, counted: n, connectionResets: resets },
      };
    } finally {
      await load.close();
      await Promise.all(started.map((s) => s.close()));
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/**
 * Instructions per streamed event in the Interplay server under the fan-out load (issue 20, point 4), counted
 * by valgrind's callgrind in the server process alone: `STREAMS` concurrent streamed creates of 1,000 word
 * deltas paced 1 ms apart (stream-fanout's load, smaller), read by the bench's reader in a process of its own.
 * One uncounted warm-up round, then `ROUNDS` counted ones, each dumped on its own (`OUT_DIR/cg.out.N`).
 *
 *   BENCH_NODE_FLAGS=--perf-basic-prof node bench/src/fanout-callgrind.ts /tmp/fanout 32 4
 *
 * `--perf-basic-prof` writes `/tmp/perf-<server pid>.map`, which names the JIT code's addresses in the dumps.
 * Compare trees dump by dump and category by category (e.g. the inclusive cost of the timer phase), not by
 * totals: a dump that holds a mark-compact or a recompilation swings the total by a quarter. Set
 * `BENCH_SERVER_MODULE` (bench/README.md) to count another tree's server with the same driver.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { countInstructions, hasValgrind } from './lib/callgrind.ts';
import { startLoad } from './lib/load.ts';
import { CREATE_PATH } from './lib/requests.ts';
import { MODEL, wordsPrompt } from './lib/scripts.ts';
import { startInterplay } from './lib/servers.ts';

const [outDir = '/tmp/fanout-callgrind', streamsArg = '32', roundsArg = '4'] = process.argv.slice(2);
const streams = Number(streamsArg);
const rounds = Number(roundsArg);
if (!hasValgrind()) throw new Error('valgrind is not installed (apt-get install valgrind)');
mkdirSync(outDir, { recursive: true });

const body = JSON.stringify({ model: MODEL, input: wordsPrompt(1000), stream: true });
const outFile = join(outDir, 'cg.out');
const server = await startInterplay({ delayMs: 1, callgrindOut: outFile });
const load = await startLoad();
const fanout = async () => {
  const result = await load.fanout({ url: server.url, path: CREATE_PATH, method: 'POST', body, streams });
  if (result.completed !== streams) throw new Error(`${result.completed}/${streams} streams ended`);
  return result.events;
};
try {
  console.log(`server pid ${server.pid}; warm-up: ${await fanout()} events`);
  for (let round = 1; round <= rounds; round++) {
    let events = 0;
    const total = await countInstructions(server.pid, outFile, server.stats, async () => {
      events = await fanout();
    });
    console.log(`round ${round}: ${events} events, ${Math.round(total / events)} instructions per event`);
  }
} finally {
  await load.close();
  await server.close();
}

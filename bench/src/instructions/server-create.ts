/**
 * Instructions per create, for valgrind: this VM's CPU time varies ±25% from run to run, instruction counts
 * by a few percent. One process runs Interplay's server (the bench script, a SQLite file, as `server-create`)
 * and a client that sends `WARMUP` creates, then `CREATES` more, `CONCURRENCY` at a time, over loopback HTTP.
 * Run it twice under callgrind, with `CREATES` = N and 0; the difference of the totals over N is the cost of
 * one create — server and client together (the client's share is the same for every server version), the
 * process start and JIT warm-up cancelled out.
 *
 * ```sh
 * export BENCH_SERVER_MODULE=/abs/path/to/packages/server/src/index.ts   # optional: another copy
 * for n in 0 2000; do
 *   CREATES=$n valgrind --tool=callgrind --callgrind-out-file=/tmp/ir.$n \
 *     node --experimental-strip-types bench/src/instructions/server-create.ts
 * done
 * # per create: (total Ir of /tmp/ir.2000 − total Ir of /tmp/ir.0) / 2000 (`callgrind_annotate` prints totals)
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { benchScript } from '../lib/scripts.ts';
import { CREATE_BODY, CREATE_PATH } from '../scenarios/server-create.ts';

const WARMUP = Number(process.env.WARMUP ?? 3000);
const CREATES = Number(process.env.CREATES ?? 2000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);

const { createInteractionsServer } = (
  process.env.BENCH_SERVER_MODULE
    ? await import(process.env.BENCH_SERVER_MODULE)
    : await import('@interplay/server')
) as typeof import('@interplay/server');

const dir = mkdtempSync(join(tmpdir(), 'interplay-ir-'));
const server = createInteractionsServer({ dbPath: join(dir, 'interplay.db'), script: benchScript(0) });
await server.ready();
// Its handler in a server of our own: valgrind slows everything ~50×, past node:http's keep-alive timeout.
const http = createServer({ keepAliveTimeout: 3_600_000 }, server.handler);
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const { port } = http.address() as AddressInfo;
const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CONCURRENCY });

async function creates(count: number): Promise<void> {
  let left = count;
  const client = async () => {
    while (left-- > 0) {
      const res = await pool.request({
        method: 'POST',
        path: CREATE_PATH,
        headers: { 'content-type': 'application/json' },
        body: CREATE_BODY,
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`create: HTTP ${res.statusCode} ${text}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
}

await creates(WARMUP);
await creates(CREATES);
await pool.close();
await new Promise((resolve) => http.close(resolve));
await server.close();
rmSync(dir, { recursive: true, force: true });
console.log(`warm-up ${WARMUP}, measured ${CREATES} creates, ${CONCURRENCY} at a time`);

/**
 * Instructions per create, for valgrind: this VM's CPU time varies ±25% from run to run, instruction counts by
 * a few percent. This process (run natively) starts Interplay's server in a child process — under the command
 * in `SERVER_WRAPPER`, e.g. callgrind — with the bench script on a SQLite file (as `server-create` does), sends
 * it `WARMUP` creates, then `CREATES` more, `CONCURRENCY` at a time, over loopback HTTP, and stops it.
 * Run it twice, with `CREATES` = N and 0: the difference of the server's totals over N is the server's cost of
 * one create (HTTP included), with its start-up and JIT warm-up cancelled out.
 *
 * ```sh
 * export BENCH_SERVER_MODULE=/abs/path/to/packages/server/src/index.ts   # optional: another copy
 * for n in 0 2000; do
 *   CREATES=$n SERVER_WRAPPER="valgrind --tool=callgrind --callgrind-out-file=/tmp/ir.$n" \
 *     node --experimental-strip-types bench/src/instructions/server-create.ts
 * done
 * # per create: (total Ir of /tmp/ir.2000 − total Ir of /tmp/ir.0) / 2000 (`callgrind_annotate` prints totals)
 * ```
 *
 * `SERVER_NODE_FLAGS` adds Node flags to the server (e.g. `--predictable-gc-schedule`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { benchScript } from '../lib/scripts.ts';
import { CREATE_BODY, CREATE_PATH } from '../scenarios/server-create.ts';

if (process.argv[2] === '--serve') await serve();
else await drive();

/** The child: the server, on a port it prints; it stops when its stdin closes. */
async function serve(): Promise<void> {
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
  process.stdout.write(`${(http.address() as AddressInfo).port}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

/** The parent: starts the child, sends the creates, stops the child, waits for it. */
async function drive(): Promise<void> {
  const warmup = Number(process.env.WARMUP ?? 3000);
  const creates = Number(process.env.CREATES ?? 2000);
  const concurrency = Number(process.env.CONCURRENCY ?? 16);
  const words = (value: string | undefined) => (value ?? '').split(' ').filter((part) => part !== '');
  // SERVER_NODE_FLAGS: e.g. `--predictable-gc-schedule`, so the collector's timing does not depend on how
  // much slower valgrind makes the process.
  const command = [
    ...words(process.env.SERVER_WRAPPER),
    process.execPath,
    ...words(process.env.SERVER_NODE_FLAGS),
    '--experimental-strip-types',
    import.meta.filename,
    '--serve',
  ];
  const child = spawn(command[0] as string, command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const port = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it listened`)));
  });
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: concurrency });
  const send = async (count: number) => {
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
    await Promise.all(Array.from({ length: concurrency }, client));
  };
  await send(warmup);
  await send(creates);
  await pool.close();
  child.stdin.end();
  const code = await exited;
  console.log(
    `warm-up ${warmup}, measured ${creates} creates, ${concurrency} at a time; server exited ${code}`,
  );
}

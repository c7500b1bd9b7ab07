/**
 * Instruction counts of a server process run under valgrind's callgrind (started with `callgrindOut`, counting
 * nothing at first): `count` turns counting on, runs `work`, dumps and reads the total. Instructions do not
 * depend on what else the machine runs, where CPU time on a shared two-core VM varies by ±25%. They include
 * every thread of the process (V8's garbage-collector helpers too); they do not weigh cache misses or syscalls.
 *
 * `callgrind_control` leaves a command that the process reads when it next runs: a process waiting for I/O
 * must be woken, which `wake` does (e.g. by asking it for its stats over IPC).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function hasValgrind(): boolean {
  return ['/usr/bin/valgrind', '/usr/local/bin/valgrind'].some((p) => existsSync(p));
}

async function control(pid: number, args: string[], wake: () => Promise<unknown>): Promise<void> {
  const done = run('callgrind_control', [...args, String(pid)], { timeout: 120_000 });
  let finished = false;
  done.then(
    () => {
      finished = true;
    },
    () => {
      finished = true;
    },
  );
  while (!finished) {
    await wake();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await done;
}

/** Total instructions of the newest dump of `outFile` (callgrind numbers dumps `outFile.1`, `.2`, …). */
function lastDumpTotal(outFile: string): number {
  const dir = dirname(outFile);
  const prefix = `${basename(outFile)}.`;
  const dumps = readdirSync(dir)
    .filter((f) => f.startsWith(prefix))
    .map((f) => Number(f.slice(prefix.length)))
    .filter(Number.isInteger)
    .sort((a, b) => a - b);
  const last = dumps.at(-1);
  if (last === undefined) throw new Error(`no callgrind dump next to ${outFile}`);
  const match = /^totals:\s*(\d+)/m.exec(readFileSync(join(dir, `${prefix}${last}`), 'utf8'));
  if (!match) throw new Error(`no totals in callgrind dump ${last} of ${outFile}`);
  return Number(match[1]);
}

/** Instructions the process `pid` executes while `work` runs. */
export async function countInstructions(
  pid: number,
  outFile: string,
  wake: () => Promise<unknown>,
  work: () => Promise<void>,
): Promise<number> {
  await control(pid, ['--zero'], wake);
  await control(pid, ['--instr=on'], wake);
  await work();
  await control(pid, ['--dump'], wake);
  await control(pid, ['--instr=off'], wake);
  return lastDumpTotal(outFile);
}

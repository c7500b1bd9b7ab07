/**
 * Where a running `interplay serve` listens, recorded on this machine so that `run` and `watch` find it
 * without flags. Each serve writes one file, `<state dir>/servers/<pid>.json` = `{url, pid, started, open}`,
 * once it accepts connections, and removes it when it exits. Readers take the most recently started serve
 * whose process is still alive, and delete the files of dead ones (a serve killed with SIGKILL).
 *
 * The state dir is `INTERPLAY_STATE_DIR`, else `$XDG_STATE_HOME/interplay`, else `~/.local/state/interplay`.
 * No key is ever written: a serve with keys is recorded as `open: false`, and the key comes from
 * `--api-key` / `INTERPLAY_API_KEY` as always.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ServeRecord {
  /** A URL a client on this machine can connect to (a wildcard bind is recorded as loopback). */
  url: string;
  pid: number;
  /** ISO time the serve started listening. */
  started: string;
  /** True when the server runs without API keys. */
  open: boolean;
}

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.INTERPLAY_STATE_DIR) return env.INTERPLAY_STATE_DIR;
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'interplay');
}

/** Writes this process's record; returns the function that removes it (also run when the process exits). */
export function recordServe(record: ServeRecord, env: NodeJS.ProcessEnv = process.env): () => void {
  const dir = join(stateDir(env), 'servers');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${record.pid}.json`);
  writeFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  const remove = (): void => {
    process.off('exit', remove);
    rmSync(file, { force: true });
  };
  process.once('exit', remove);
  return remove;
}

/** The most recently started serve on this machine that is still running, or undefined. */
export function findLocalServe(env: NodeJS.ProcessEnv = process.env): ServeRecord | undefined {
  const dir = join(stateDir(env), 'servers');
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return undefined; // no serve has run here
  }
  let newest: ServeRecord | undefined;
  for (const name of names) {
    const file = join(dir, name);
    const record = readRecord(file);
    if (!record || !alive(record.pid)) {
      rmSync(file, { force: true }); // left by a serve that was killed, or unreadable
      continue;
    }
    if (!newest || record.started > newest.started) newest = record;
  }
  return newest;
}

/** The URL a local client should use for a server bound to `host` (a wildcard bind is reached on loopback). */
export function connectableUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '') return `http://127.0.0.1:${port}`;
  if (host === '::' || host === '[::]') return `http://[::1]:${port}`;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${bracketed}:${port}`;
}

function readRecord(file: string): ServeRecord | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServeRecord>;
    if (typeof value.url !== 'string' || !Number.isInteger(value.pid) || typeof value.started !== 'string')
      return undefined;
    return { url: value.url, pid: value.pid as number, started: value.started, open: value.open === true };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

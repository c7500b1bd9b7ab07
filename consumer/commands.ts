/** Running the consumer projects' commands (npm, npx, node) as a user would, and their environment. */
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface Command {
  command: string;
  args: string[];
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Variables a user's shell would have; nothing of this repository's scripts, pnpm, vitest or API keys. */
const KEEP =
  /^(HOME|USER|LOGNAME|SHELL|LANG|LC_\w+|TZ|TMPDIR|TEMP|TMP|(HTTPS?|NO)_PROXY|(https?|no)_proxy|NODE_EXTRA_CA_CERTS|SSL_CERT_(FILE|DIR)|npm_config_(registry|cache|userconfig))$/;

/**
 * The environment of the consumer projects' commands: the variables in KEEP, and a PATH that starts with this
 * Node's folder (so `npm`, `npx` and the projects' scripts run on it) and has no `node_modules/.bin` folder of
 * this repository (so `npx tsc` or `npx vitest` can only find the project's own).
 */
export function cleanEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (KEEP.test(k)) env[k] = v;
  const paths = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((p) => !(p.startsWith(root) && p.includes(`node_modules${path.sep}.bin`)));
  env.PATH = [path.dirname(process.execPath), ...paths].join(path.delimiter);
  return env;
}

export function run(cmd: Command, cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.command, cmd.args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the command and resolves with its stdout; rejects with its output when it fails. */
export async function runOk(cmd: Command, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await run(cmd, cwd, env);
  if (r.code !== 0) {
    throw new Error(
      `\`${[cmd.command, ...cmd.args].join(' ')}\` in ${cwd} exited ${r.code}:\n${r.stdout}\n${r.stderr}`,
    );
  }
  return r.stdout;
}

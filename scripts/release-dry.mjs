/**
 * `pnpm release:dry`: a release without publishing. Builds every package, packs them into `.release/` (the
 * tarballs `pnpm publish` would upload) and runs the consumer check (consumer/consumer.test.ts) on exactly
 * those tarballs. `pnpm release` runs this first, then `changeset publish`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = fileURLToPath(new URL('../.release', import.meta.url));
// pnpm runs this script and says where it is; fall back to the one on PATH.
const pnpm = process.env.npm_execpath?.includes('pnpm')
  ? [process.execPath, process.env.npm_execpath]
  : ['pnpm'];

function step(args, env = process.env) {
  const [command, ...pre] = pnpm;
  const r = spawnSync(command, [...pre, ...args], { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

rmSync(out, { recursive: true, force: true });
step(['build']);
step(['-r', '--filter', './packages/*', 'pack', '--pack-destination', out]);
step(['exec', 'vitest', 'run', 'consumer/consumer.test.ts'], { ...process.env, INTERPLAY_TARBALLS: out });
process.stdout.write(`release:dry: the check passed on ${readdirSync(out).join(', ')} in .release/\n`);

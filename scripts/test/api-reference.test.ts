/**
 * The API reference (`pnpm docs:api`, typedoc over the public packages' doc comments) builds without a
 * warning: every exported name reachable from the entry points is exported itself, and every `{@link}`
 * resolves. Checked without writing the HTML (`--emit none`) and without the type-check `pnpm typecheck`
 * already does (`--skipErrorChecking`), which keeps it a few seconds of CPU.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const typedoc = fileURLToPath(new URL('../../node_modules/typedoc/bin/typedoc', import.meta.url));

it('the API reference builds without warnings', { timeout: 180_000 }, async () => {
  const run = promisify(execFile)(process.execPath, [typedoc, '--emit', 'none', '--skipErrorChecking'], {
    cwd: root,
  });
  const { stdout, stderr } = await run.catch((error: { stdout: string; stderr: string }) => error);
  const output = `${stdout}${stderr}`;
  expect(output).not.toMatch(/\[(warning|error)\]/);
});

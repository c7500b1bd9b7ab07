/** What a packed tarball holds, read with the system's `tar`. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The paths of its files (`package/…`). */
export async function listTarball(file: string): Promise<string[]> {
  const { stdout } = await exec('tar', ['-tzf', file]);
  return stdout.split('\n').filter((line) => line !== '' && !line.endsWith('/'));
}

/** Its package.json, as published. */
export async function readTarballManifest(file: string): Promise<Record<string, unknown>> {
  const { stdout } = await exec('tar', ['-xzOf', file, 'package/package.json']);
  return JSON.parse(stdout) as Record<string, unknown>;
}

/**
 * Run first by the root scripts (`pnpm demo`, `pnpm test`, …): on a Node older than `engines.node` it exits
 * with one line naming the version needed and the one found, before a later command passes Node a flag that
 * version does not know (`node: bad option: --experimental-strip-types`).
 */
import { readFileSync } from 'node:fs';
import { nodeVersionProblem } from './node-version.mjs';

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const problem = nodeVersionProblem(process.versions.node, engines.node, process.execPath);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}

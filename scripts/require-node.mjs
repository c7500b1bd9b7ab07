/**
 * Exits with one line naming the Node version Interplay needs and the one found, before a script passes Node
 * a flag an older version does not know (`node: bad option: --experimental-strip-types`). Written for any
 * Node still in use: no syntax newer than Node 12's.
 */
import { readFileSync } from 'node:fs';

const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines;
const [, major, minor] = /^>=\s*(\d+)\.(\d+)/.exec(engines.node).map(Number);
const [foundMajor, foundMinor] = process.versions.node.split('.').map(Number);
if (foundMajor < major || (foundMajor === major && foundMinor < minor)) {
  process.stderr.write(
    `Interplay needs Node.js ${major}.${minor} or newer; this is Node.js ${process.versions.node} (${process.execPath}).\n`,
  );
  process.exit(1);
}

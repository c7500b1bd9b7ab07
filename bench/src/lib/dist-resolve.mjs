/**
 * `node --import` hook for a server run from the build (serve-process.ts): `@interplay/<pkg>[/<entry>]`
 * resolves to `packages/<pkg>/dist/<entry | index>.js`, as the published manifests (`publishConfig.exports`)
 * map it. The workspace's own manifests point at `src/*.ts`, which would load Node's type stripper.
 * Plain JavaScript, so nothing needs stripping before it runs.
 */
import { registerHooks } from 'node:module';

const PACKAGES = new URL('../../../packages/', import.meta.url);

registerHooks({
  resolve(specifier, context, nextResolve) {
    const match = /^@interplay\/([a-z-]+)(?:\/([a-z-]+))?$/.exec(specifier);
    if (!match) return nextResolve(specifier, context);
    return nextResolve(new URL(`${match[1]}/dist/${match[2] ?? 'index'}.js`, PACKAGES).href, context);
  },
});

/**
 * Which Interactions API `run` and `watch` talk to, and the client for it. Pure apart from the client and the
 * look-up of a local serve (passed in, so tests choose what is found).
 *
 * Target: `--base-url`, else `INTERPLAY_BASE_URL`, else live Gemini when `GEMINI_API_KEY` is set, else the
 * `interplay serve` running on this machine (its state file, serve-state.ts), else `http://127.0.0.1:8787`
 * (where `interplay serve` listens by default).
 * Key: `--api-key`, else `INTERPLAY_API_KEY`, else — for live Gemini only — `GEMINI_API_KEY`, so a Gemini key is
 * never sent to another server by accident.
 */
import { type ApiVersion, ConnectionError, InteractionsClient } from '@interplay/client';
import type { Revision } from '@interplay/protocol';
import { findLocalServe, type ServeRecord } from './serve-state.ts';
import { UsageError } from './usage-error.ts';

export const LIVE_BASE_URL = 'https://generativelanguage.googleapis.com';
export const LOCAL_BASE_URL = 'http://127.0.0.1:8787';

export interface TargetFlags {
  'base-url'?: string | undefined;
  'api-key'?: string | undefined;
  revision?: string | undefined;
  'api-version'?: string | undefined;
}

export interface Target {
  baseUrl: string;
  /** '' sends no key (a local server in open mode). */
  apiKey: string;
  revision: Revision;
  apiVersion: ApiVersion;
  /** Where the base URL came from: `serve` = the state file of an `interplay serve` on this machine. */
  source: 'flag' | 'env' | 'gemini' | 'serve' | 'default';
}

/** The target flags as `parseArgs` options (shared by `run` and `watch`). */
export const TARGET_OPTIONS = {
  'base-url': { type: 'string' },
  'api-key': { type: 'string' },
  revision: { type: 'string' },
  'api-version': { type: 'string' },
} as const;

export const TARGET_USAGE = `  --base-url URL         The Interactions API to talk to. Default: INTERPLAY_BASE_URL, else live Gemini
                         (${LIVE_BASE_URL}) when GEMINI_API_KEY is set, else the
                         \`interplay serve\` running on this machine, else ${LOCAL_BASE_URL}.
  --api-key KEY          API key. Default: INTERPLAY_API_KEY; for live Gemini, GEMINI_API_KEY.
  --revision REV         Wire revision to speak: steps (default) or legacy.
  --api-version V        v1beta (default), v1 or v1alpha.
`;

export function resolveTarget(
  flags: TargetFlags,
  env: NodeJS.ProcessEnv = process.env,
  localServe: () => ServeRecord | undefined = () => findLocalServe(env),
): Target {
  const revision = flags.revision ?? 'steps';
  if (revision !== 'steps' && revision !== 'legacy')
    throw new UsageError(`--revision must be steps or legacy, got '${revision}'`);
  const apiVersion = flags['api-version'] ?? 'v1beta';
  if (apiVersion !== 'v1beta' && apiVersion !== 'v1' && apiVersion !== 'v1alpha')
    throw new UsageError(`--api-version must be v1beta, v1 or v1alpha, got '${apiVersion}'`);

  let baseUrl: string;
  let source: Target['source'];
  if (flags['base-url'] !== undefined) {
    baseUrl = flags['base-url'];
    source = 'flag';
  } else if (env.INTERPLAY_BASE_URL) {
    baseUrl = env.INTERPLAY_BASE_URL;
    source = 'env';
  } else if (env.GEMINI_API_KEY) {
    baseUrl = LIVE_BASE_URL;
    source = 'gemini';
  } else {
    const serve = localServe();
    baseUrl = serve?.url ?? LOCAL_BASE_URL;
    source = serve ? 'serve' : 'default';
  }
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new UsageError(`--base-url must be an http(s) URL, got '${baseUrl}'`);
  }
  const live = baseUrl.replace(/\/+$/, '').replace(/\/v1(beta|alpha)?$/, '') === LIVE_BASE_URL;
  const apiKey = flags['api-key'] ?? env.INTERPLAY_API_KEY ?? (live ? (env.GEMINI_API_KEY ?? '') : '');
  return { baseUrl, apiKey, revision, apiVersion, source };
}

export type AnyClient = InteractionsClient<'steps'> | InteractionsClient<'legacy'>;

export function createClient(target: Target): AnyClient {
  const common = { baseUrl: target.baseUrl, apiKey: target.apiKey, apiVersion: target.apiVersion } as const;
  return target.revision === 'legacy'
    ? new InteractionsClient({ ...common, revision: 'legacy' })
    : new InteractionsClient({ ...common, revision: 'steps' });
}

/** A clear message for an error reaching the target (undefined: not a connection problem). */
export function connectionHint(
  target: Pick<Target, 'baseUrl' | 'source'>,
  error: unknown,
): string | undefined {
  if (!(error instanceof ConnectionError) || error.phase !== 'connect') return undefined;
  const where = `nothing is listening at ${target.baseUrl} (${error.message})`;
  if (target.source === 'serve')
    return `${where}.\nThat is where \`interplay serve\` on this machine said it listens; is it still starting?`;
  if (target.source === 'default')
    return (
      `${where}.\nStart a server with \`interplay serve\`, point at one with --base-url or INTERPLAY_BASE_URL, ` +
      'or set GEMINI_API_KEY to use live Gemini.'
    );
  return `${where}.`;
}

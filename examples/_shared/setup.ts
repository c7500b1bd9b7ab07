/**
 * One line at the top of every example: `const env = await setup()`.
 *
 * - `GEMINI_API_KEY` set → **live**: a client for the real Gemini API
 *   (`https://generativelanguage.googleapis.com`, `v1beta`, steps revision). Nothing is started.
 * - otherwise → **offline**: Interplay's own Interactions server is started in this process on 127.0.0.1 (a
 *   free port, an in-memory SQLite store), with the scripted model's default script, the built-in tools
 *   (Python code execution, url_context, google_search over the bundled search corpus) and the Files API.
 *   Only the model's answers are scripted; HTTP, streaming, storage, tools and agents are real.
 *
 * Either way it prints one line saying which, and `env.close()` stops whatever was started.
 *
 * @example
 * const env = await setup();
 * try {
 *   const { interaction } = await env.client.create({ model: env.model, input: 'Hello' });
 * } finally {
 *   await env.close();
 * }
 */
import { InteractionsClient } from '@interplay/client';
import type { AudioContent, DocumentContent, ImageContent, VideoContent } from '@interplay/protocol';
import {
  type BuiltinToolsOptions,
  CorpusSearch,
  createInteractionsServer,
  DEEP_RESEARCH_RULES,
  DEFAULT_SCRIPT,
  DEMO_SEARCH_CORPUS,
  loadCorpus,
  type ScriptInput,
  startCorpusSite,
} from '@interplay/server';
// Not re-exported by @interplay/server's index (yet): the default script, the deep-research rules, the
// local corpus site and the corpus search backend.
import { type AssetName, type AssetServer, asset, serveAssets } from './assets.ts';

export type ScriptRule = ScriptInput['rules'][number];

/** An image, audio, video or document content part. */
export type MediaPart = ImageContent | AudioContent | VideoContent | DocumentContent;

export const LIVE_BASE_URL = 'https://generativelanguage.googleapis.com';
export const DEFAULT_MODEL = 'gemini-3-flash-preview';
/** The key the offline server is configured with (it checks it like any key). */
const OFFLINE_API_KEY = 'interplay-examples-key';
export const SEARCH_CORPUS = DEMO_SEARCH_CORPUS;

export interface SetupOptions {
  /**
   * Offline only: scripted-model rules tried before the default script's. For examples whose prompt the
   * default script does not answer; each example says why it adds one.
   */
  rules?: readonly ScriptRule[];
  /** Serve the generated media files and HTML page on 127.0.0.1 (`env.assets`, `env.media()`). */
  assets?: boolean;
  /** Offline only: let url_context fetch 127.0.0.1 (refused by its SSRF policy otherwise). */
  allowLocalUrls?: boolean;
  /**
   * Offline only: the deep-research agent's scripted rules, and the search corpus served as local web
   * pages (so the agent's url_context reads them over HTTP instead of failing on `*.example` hosts).
   */
  deepResearch?: boolean;
}

export interface ExampleEnv {
  /** Our client, steps revision. */
  client: InteractionsClient;
  /** The API root without version: the local server's URL, or `https://generativelanguage.googleapis.com`. */
  baseUrl: string;
  apiKey: string;
  /** The default text model of the examples (`GEMINI_MODEL` overrides it when live). */
  model: string;
  offline: boolean;
  /** Options for the official SDK: `new GoogleGenAI(env.genai)`. */
  genai: { apiKey: string; httpOptions?: { baseUrl: string } };
  /** The local asset server (with `setup({ assets: true })`). */
  assets: AssetServer | undefined;
  /**
   * A content part for a generated asset: by `uri` on the local asset server when offline; inline (base64
   * `data`) when live, because Gemini cannot reach 127.0.0.1.
   */
  media(type: MediaPart['type'], name: AssetName): MediaPart;
  /** Stops the local servers (nothing to do when live). Safe to call twice. */
  close(): Promise<void>;
}

export async function setup(options: SetupOptions = {}): Promise<ExampleEnv> {
  const liveKey = process.env.GEMINI_API_KEY;
  const assets = options.assets ? await serveAssets() : undefined;
  const closers: (() => Promise<void>)[] = [];
  if (assets) closers.push(() => assets.close());

  let baseUrl: string;
  let apiKey: string;
  let model: string;
  if (liveKey) {
    baseUrl = LIVE_BASE_URL;
    apiKey = liveKey;
    model = process.env.GEMINI_MODEL ?? DEFAULT_MODEL;
    console.log(`[live] Gemini API at ${LIVE_BASE_URL}/v1beta (model ${model})`);
  } else {
    try {
      baseUrl = await startOfflineServer(options, closers);
    } catch (error) {
      for (const close of closers.reverse()) await close().catch(() => {});
      throw error;
    }
    apiKey = OFFLINE_API_KEY;
    model = DEFAULT_MODEL;
    console.log(
      `[offline] scripted model on an embedded Interplay server at ${baseUrl} ` +
        '(set GEMINI_API_KEY to run against live Gemini)',
    );
  }

  const client = new InteractionsClient({ baseUrl, apiKey, apiVersion: 'v1beta', revision: 'steps' });
  let closing: Promise<void> | undefined;
  return {
    client,
    baseUrl,
    apiKey,
    model,
    offline: !liveKey,
    genai: liveKey ? { apiKey } : { apiKey, httpOptions: { baseUrl } },
    assets,
    media(type, name) {
      const { bytes, mimeType } = asset(name);
      const mime_type = mimeType.split(';')[0] as string;
      if (liveKey) return { type, data: bytes.toString('base64'), mime_type } as MediaPart;
      if (!assets) throw new Error('setup({ assets: true }) serves the assets');
      return { type, uri: assets.url(name), mime_type } as MediaPart;
    },
    close() {
      closing ??= (async () => {
        // Servers first (they may hold connections to the asset or corpus servers), then the rest.
        for (const close of closers.reverse()) await close().catch(() => {});
      })();
      return closing;
    },
  };
}

async function startOfflineServer(options: SetupOptions, closers: (() => Promise<void>)[]): Promise<string> {
  const builtins: BuiltinToolsOptions = { searchCorpusPath: SEARCH_CORPUS };
  const allowHosts: string[] = [];
  if (options.allowLocalUrls) allowHosts.push('127.0.0.1');
  const rules: ScriptRule[] = [...(options.rules ?? [])];
  if (options.deepResearch) {
    const site = await startCorpusSite(loadCorpus(SEARCH_CORPUS));
    closers.push(() => site.close());
    builtins.searchBackend = new CorpusSearch(site.documents);
    allowHosts.push('127.0.0.1');
    rules.unshift(...DEEP_RESEARCH_RULES);
  }
  builtins.allowHosts = [...new Set(allowHosts)];
  const server = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    dbPath: ':memory:',
    apiKeys: [OFFLINE_API_KEY],
    script: { ...DEFAULT_SCRIPT, rules: [...rules, ...DEFAULT_SCRIPT.rules] },
    builtins,
    shutdownGraceMs: 1_000,
  });
  const { url } = await server.listen();
  closers.push(() => server.close());
  return url;
}

/** The text of an interaction's last `model_output` step ('' when there is none). */
export function lastText(output: readonly { type: string; content?: unknown }[]): string {
  for (let i = output.length - 1; i >= 0; i--) {
    const item = output[i];
    if (item?.type !== 'model_output' || !Array.isArray(item.content)) continue;
    return (item.content as { type: string; text?: string }[])
      .filter((c) => c.type === 'text')
      .map((c) => c.text ?? '')
      .join('');
  }
  return '';
}

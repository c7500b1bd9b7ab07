/**
 * Where the demo runs. Offline (default): Interplay's own Interactions server, started in this process on
 * 127.0.0.1 (a free port, `:memory:` SQLite), with the scripted model (the default script plus the demo's rules),
 * the built-in tools (Python in Pyodide, url_context, google_search over the bundled corpus) and the corpus served
 * as local web pages so Deep Research really reads them. Live (`GEMINI_API_KEY` set): the Gemini API.
 */
import { InteractionsClient } from '@interplay/client';
import type { Revision } from '@interplay/protocol';
import {
  CorpusSearch,
  createInteractionsServer,
  DEFAULT_SCRIPT,
  DEMO_SEARCH_CORPUS,
  loadCorpus,
  startCorpusSite,
} from '@interplay/server';
import { LIVE_BASE_URL } from '../target.ts';
import { DEMO_RULES } from './script.ts';

export const LIVE_MODEL = 'gemini-3-flash-preview';
export const RESEARCH_AGENT = 'deep-research-pro-preview-12-2025';
/** The key the embedded server is configured with (it checks it like any key). */
const OFFLINE_API_KEY = 'interplay-demo-key';
/** Pause between the scripted model's streamed words: enough to see streaming, little enough to stay fast. */
const OFFLINE_DELAY_MS = 4;

export interface DemoEnv {
  offline: boolean;
  client: InteractionsClient<'steps'> | InteractionsClient<'legacy'>;
  baseUrl: string;
  model: string;
  agent: string;
  /** A page URL as the reader should see it (offline: the corpus's original URL of a locally served page). */
  displayUrl(url: string): string;
  close(): Promise<void>;
}

export async function startDemoEnv(revision: Revision, env = process.env): Promise<DemoEnv> {
  const key = env.GEMINI_API_KEY;
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  let baseUrl: string;
  let displayUrl = (url: string) => url;
  if (key) {
    baseUrl = LIVE_BASE_URL;
  } else {
    try {
      const site = await startCorpusSite(loadCorpus(DEMO_SEARCH_CORPUS));
      closers.push(() => site.close());
      displayUrl = (url) => site.originalUrl(url) ?? url;
      const server = createInteractionsServer({
        host: '127.0.0.1',
        port: 0,
        dbPath: ':memory:',
        apiKeys: [OFFLINE_API_KEY],
        script: {
          ...DEFAULT_SCRIPT,
          delay_ms: OFFLINE_DELAY_MS,
          rules: [...DEMO_RULES, ...DEFAULT_SCRIPT.rules],
        },
        builtins: {
          searchBackend: new CorpusSearch(site.documents),
          allowHosts: ['127.0.0.1'],
          warmCode: true,
        },
        shutdownGraceMs: 500,
      });
      baseUrl = (await server.listen()).url;
      closers.push(() => server.close());
    } catch (err) {
      await close();
      throw err;
    }
  }
  const common = {
    baseUrl,
    apiKey: key ?? OFFLINE_API_KEY,
    apiVersion: 'v1beta',
    // Deep Research streams can be quiet for a while live; the client resumes after a silent gap anyway.
    timeoutMs: 120_000,
  } as const;
  const client =
    revision === 'legacy'
      ? new InteractionsClient({ ...common, revision: 'legacy' })
      : new InteractionsClient({ ...common, revision: 'steps' });
  return {
    offline: !key,
    client,
    baseUrl,
    model: LIVE_MODEL,
    agent: RESEARCH_AGENT,
    displayUrl,
    close,
  };
}

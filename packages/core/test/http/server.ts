/** A real Interactions server on 127.0.0.1:0 (in-memory SQLite, the scripted model) and clients for it. */
import { InteractionsClient } from '@interplay/client';
import type { CanonicalRequest, Revision } from '@interplay/protocol';
import { createInteractionsServer, type InteractionsServer } from '@interplay/server';
import { type AnyInteractionsClient, clientBackend, type InteractionsBackend } from '../../src/index.ts';
import { SCRIPT } from './script.ts';

export interface TestServer {
  url: string;
  server: InteractionsServer;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const server = createInteractionsServer({ host: '127.0.0.1', port: 0, dbPath: ':memory:', script: SCRIPT });
  const { url } = await server.listen();
  return { url, server, close: () => server.close() };
}

export function clientFor(url: string, revision: Revision): AnyInteractionsClient {
  const options = {
    baseUrl: url,
    apiVersion: 'v1beta' as const,
    apiKey: 'test-key',
    maxRetries: 0,
    timeoutMs: 10_000,
  };
  return revision === 'legacy'
    ? new InteractionsClient({ ...options, revision: 'legacy' })
    : new InteractionsClient({ ...options, revision: 'steps' });
}

/** The real client backend, keeping a copy of every canonical request core sent. */
export function recordingBackend(
  client: AnyInteractionsClient,
): InteractionsBackend & { requests: CanonicalRequest[] } {
  const inner = clientBackend(client);
  const requests: CanonicalRequest[] = [];
  const record = (request: CanonicalRequest) => requests.push(structuredClone(request));
  return {
    ...inner,
    requests,
    create(request, options) {
      record(request);
      return inner.create(request, options);
    },
    stream(request, options) {
      record(request);
      return inner.stream(request, options);
    },
  };
}

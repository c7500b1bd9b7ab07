/** A real Interactions server on 127.0.0.1 (in-memory SQLite) whose scripted model answers with `rules`. */
import {
  createInteractionsServer,
  type InteractionsServerOptions,
  type ScriptInput,
} from '@interplay/server';

export interface ScriptedServer {
  url: string;
  close(): Promise<void>;
}

export async function startScriptedServer(
  rules: ScriptInput['rules'],
  options: InteractionsServerOptions = {},
): Promise<ScriptedServer> {
  const server = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    dbPath: ':memory:',
    script: { rules },
    ...options,
  });
  const { url } = await server.listen();
  return { url, close: () => server.close() };
}

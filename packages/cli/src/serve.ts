/**
 * `interplay serve`: starts the Interactions server, prints `Interplay listening on http://HOST:PORT` once it
 * accepts connections, records that URL in this machine's state dir (so `run` and `watch` find it), logs
 * (pino JSON) to stderr, and on SIGTERM/SIGINT shuts down gracefully and exits 0.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInteractionsServer, createLogger } from '@interplay/server';
import { parseServeArgs, SERVE_USAGE } from './serve-options.ts';
import { connectableUrl, recordServe } from './serve-state.ts';
import { runCommand } from './usage-error.ts';

export function runServe(args: string[]): Promise<number> {
  return runCommand('serve', SERVE_USAGE, () => parseServeArgs(args), runServeWith);
}

async function runServeWith(config: ReturnType<typeof parseServeArgs>): Promise<number> {
  const logger = createLogger({ level: config.logLevel });
  const dbPath = config.server.dbPath;
  if (dbPath && dbPath !== ':memory:' && !dbPath.startsWith('file:'))
    mkdirSync(dirname(dbPath), { recursive: true });

  // The edge catches every request's errors; anything escaping elsewhere is logged, not fatal.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => logger.fatal({ err }, 'uncaught exception'));

  const server = createInteractionsServer({ ...config.server, logger });
  let listening: { url: string; host: string; port: number };
  try {
    listening = await server.listen();
  } catch (err) {
    process.stderr.write(`interplay serve: ${err instanceof Error ? err.message : String(err)}\n`);
    await server.close().catch(() => {});
    logger.flush();
    return 1;
  }
  process.stdout.write(`Interplay listening on ${listening.url}\n`);
  const forget = recordState(listening, (config.server.apiKeys ?? []).length === 0, logger);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second signal: stop waiting.
        process.exit(1);
      }
      stopping = true;
      forget();
      logger.info({ signal }, 'shutting down');
      server
        .close()
        .then(
          () => 0,
          (err: unknown) => {
            logger.error({ err }, 'shutdown failed');
            return 1;
          },
        )
        .then((code) => {
          logger.flush(() => resolve(code));
        });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

/** The state file `run`/`watch` read; a failure to write it is logged, not fatal (the flags still work). */
function recordState(
  listening: { host: string; port: number },
  open: boolean,
  logger: ReturnType<typeof createLogger>,
): () => void {
  const url = connectableUrl(listening.host, listening.port);
  try {
    return recordServe({ url, pid: process.pid, started: new Date().toISOString(), open });
  } catch (err) {
    logger.warn({ err }, 'could not record the server in the state dir; run and watch need --base-url');
    return () => {};
  }
}

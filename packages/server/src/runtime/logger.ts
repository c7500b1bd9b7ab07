/** The server's structured logger: pino, JSON lines to stderr by default. Request bodies are never logged. */
import pino, { type Logger } from 'pino';

export interface LoggerOptions {
  /** pino level (`fatal` … `trace`, or `silent`); default `info`. */
  level?: string;
  /** File descriptor to write to; default 2 (stderr). */
  fd?: number;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { name: 'interplay' },
      // Keys never appear in logs, whatever a caller passes in.
      redact: {
        paths: ['apiKey', 'apiKeys', 'key', 'headers.authorization', 'headers["x-goog-api-key"]'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: options.fd ?? 2, sync: false }),
  );
}

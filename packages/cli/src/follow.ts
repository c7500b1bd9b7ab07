/** What `run` and `watch` share: following an interaction to its end, Ctrl-C, and error messages. */
import { AbortedError, InteractionsError } from '@interplay/client';
import type { CanonicalInteraction } from '@interplay/protocol';
import type { ProgressPrinter } from './progress.ts';
import { type AnyClient, connectionHint, type Target } from './target.ts';

export interface FollowOptions {
  signal: AbortSignal;
  /** On Ctrl-C, cancel the interaction on the server (default: detach and leave it running). */
  cancelOnExit: boolean;
}

/**
 * Follow `id` until it settles: its stream from the start (or after `lastEventId`), reconnecting from the last
 * `event_id` when a connection drops and polling when the server cannot stream (`client.wait`).
 */
export async function follow(
  client: AnyClient,
  id: string,
  printer: ProgressPrinter,
  options: FollowOptions,
): Promise<CanonicalInteraction> {
  const done = await client.wait(id, {
    signal: options.signal,
    cancelOnAbort: options.cancelOnExit,
    onEvent: ({ events }) => printer.push(events),
    onStatus: (status) => printer.status(status),
  });
  return done.interaction;
}

/** An AbortController fired by the first Ctrl-C (or SIGTERM); a second one exits at once. */
export function interruptOnSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export const isAbort = (error: unknown): boolean => error instanceof AbortedError;

/** A one-paragraph explanation of a failure talking to the target. */
export function describeFailure(target: Pick<Target, 'baseUrl' | 'source'>, error: unknown): string {
  const hint = connectionHint(target, error);
  if (hint) return hint;
  if (error instanceof InteractionsError) {
    const status = error.status > 0 ? `HTTP ${error.status} ` : '';
    return `${status}${error.code}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

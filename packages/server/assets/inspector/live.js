/**
 * Following a running interaction over its event stream. The stream is read from the start (the page builds
 * the output steps from it); when the connection drops before `[DONE]`, it is opened again with
 * `last_event_id` set to the last event received, so nothing is missed and nothing is applied twice.
 */
import { ApiError, openEventStream } from './api.js';
import { sseFrames } from './sse.js';

const FIRST_RETRY_MS = 250;
const LONGEST_RETRY_MS = 5000;

/**
 * Calls `onEvent(event)` for each event and `onReconnect(attempt)` before each new connection after a drop.
 * Resolves when the stream ends with `[DONE]` (or `signal` aborts); rejects on an error answer of the server
 * (the interaction was deleted, the key was refused, …).
 */
export async function followEvents(id, { onEvent, onReconnect, signal }) {
  let lastEventId;
  let attempt = 0;
  while (!signal.aborted) {
    if (attempt > 0) {
      onReconnect?.(attempt);
      await pause(Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), LONGEST_RETRY_MS), signal);
      if (signal.aborted) return;
    }
    attempt++;
    try {
      const response = await openEventStream(id, lastEventId, signal);
      for await (const frame of sseFrames(response.body)) {
        if (frame.data === '[DONE]') return;
        const event = JSON.parse(frame.data);
        if (event.event_id) lastEventId = event.event_id;
        attempt = 1;
        onEvent(event);
      }
    } catch (error) {
      if (signal.aborted) return;
      // The server answered and refused: trying again would get the same answer.
      if (error instanceof ApiError && error.status < 500) throw error;
    }
  }
}

/** Backoff between reconnection attempts; ends early when the page moves on. */
function pause(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

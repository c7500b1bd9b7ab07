/**
 * Where a run taken over goes on from (engine/contract.ts, `TurnResume`), read from its stored log: the steps
 * it completed (a `step.stop` was stored for every one of them, from index 0), whether a step after them had
 * started, and the log's last seq (new events follow it). The log is never rewritten: a step interrupted
 * mid-way is started again at the same index, and readers replace it (a `step.start` replaces its index's
 * step, as `StreamAccumulator` does).
 */
import { type Item, StreamAccumulator } from '@interplay/protocol';
import type { StoredEvent } from '../store/store.ts';

export interface ResumePoint {
  lastSeq: number;
  steps: Item[];
  interrupted: boolean;
  /** Every stored event pushed: the output so far, as a reader of the log sees it. */
  tracker: StreamAccumulator;
}

export function resumePoint(events: Iterable<StoredEvent>): ResumePoint {
  const tracker = new StreamAccumulator();
  const started = new Set<number>();
  const stopped = new Set<number>();
  let lastSeq = 0;
  for (const { seq, event } of events) {
    tracker.push(event);
    lastSeq = seq;
    if (event.event_type === 'step.start') {
      started.add(event.index);
      // Started again (a run taken over before): not complete until it stops again.
      stopped.delete(event.index);
    } else if (event.event_type === 'step.stop') {
      stopped.add(event.index);
    }
  }
  let completed = 0;
  while (stopped.has(completed)) completed++;
  const interrupted = [...started].some((index) => index >= completed);
  return { lastSeq, steps: structuredClone(tracker.items.slice(0, completed)), interrupted, tracker };
}

/** Engines written for the tests: one the test drives step by step, one that records what it was given. */
import type { Engine, TurnInput, TurnOutcome, TurnSink } from '../../src/engine/contract.ts';
import { call, startServer, type TestServer } from './server.ts';

export interface ManualTurn {
  input: TurnInput;
  sink: TurnSink;
  /** Emit `text` as a model_output step (start, one delta per word, stop) at `index`. */
  text(index: number, words: string[]): void;
  finish(outcome: TurnOutcome): void;
}

/** Each `runTurn` waits until the test calls `finish` on the turn it receives from `next()`. */
export class ManualEngine implements Engine {
  readonly #waiting: ((turn: ManualTurn) => void)[] = [];
  readonly #ready: ManualTurn[] = [];

  runTurn(input: TurnInput, sink: TurnSink): Promise<TurnOutcome> {
    return new Promise((resolve) => {
      const turn: ManualTurn = {
        input,
        sink,
        text(index, words) {
          sink.emit({ event_type: 'step.start', index, step: { type: 'model_output', content: [] } });
          words.forEach((w, i) => {
            sink.emit({
              event_type: 'step.delta',
              index,
              delta: { type: 'text', text: i === 0 ? w : ` ${w}` },
            });
          });
          sink.emit({ event_type: 'step.stop', index });
        },
        finish: resolve,
      };
      const waiter = this.#waiting.shift();
      if (waiter) waiter(turn);
      else this.#ready.push(turn);
    });
  }

  /** The next turn the server starts. */
  next(): Promise<ManualTurn> {
    const ready = this.#ready.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}

/** Answers "ok" at once and keeps every TurnInput (with its history resolved) for inspection. */
export class RecordingEngine implements Engine {
  readonly turns: { input: TurnInput; history: readonly unknown[] }[] = [];

  async runTurn(input: TurnInput, sink: TurnSink): Promise<TurnOutcome> {
    const history = await input.history();
    this.turns.push({ input, history });
    sink.emit({ event_type: 'step.start', index: 0, step: { type: 'model_output', content: [] } });
    sink.emit({ event_type: 'step.delta', index: 0, delta: { type: 'text', text: 'ok' } });
    sink.emit({ event_type: 'step.stop', index: 0 });
    return {
      status: 'completed',
      output: [{ type: 'model_output', content: [{ type: 'text', text: 'ok' }] }],
      usage: { total_input_tokens: 1, total_output_tokens: 1, total_tokens: 2 },
    };
  }
}

/**
 * A server on a {@link ManualEngine} with one background interaction posted ("Hi" to model `m`): the server,
 * the interaction's id, and the engine's turn for it, which runs until the test finishes it.
 */
export async function heldBackgroundRun(): Promise<{ t: TestServer; id: string; turn: ManualTurn }> {
  const engine = new ManualEngine();
  const t = await startServer({ engine });
  const post = await call(`${t.url}/v1beta/interactions`, {
    body: { model: 'm', input: 'Hi', background: true },
  });
  const turn = await engine.next();
  return { t, id: post.json.id, turn };
}

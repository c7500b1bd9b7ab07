/**
 * Many conversations at once (the conversations benchmark): `count` chains of the realistic agent request,
 * advanced one turn each per round, in round-robin order, by `concurrency` closed-loop clients. Runs in a load
 * process (load-child.ts); the chain ids stay here between rounds, so a server can be restarted under them.
 */
import { Pool } from 'undici';
import { agentBody, CREATE_PATH } from './requests.ts';
import { TAG_HEADER } from './server-types.ts';
import { median, percentile } from './stats.ts';

export interface RoundResult {
  turn: number;
  requests: number;
  wallMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  clientCpuMicros: number;
  /**
   * `usage.total_input_tokens` of the first chain's answer: the scripted model counts the words of the whole
   * conversation it was given, so this grows with the turn when the history is really read.
   */
  firstChainInputTokens: number;
}

/** The chains a round advances: `from` (inclusive) to `to` (exclusive); all of them by default. */
export interface ChainSlice {
  from: number;
  to: number;
}

export class ChainDriver {
  /** Last interaction id of each chain (undefined before its first turn). */
  readonly #heads: (string | undefined)[];
  /** Turns each chain has had. */
  readonly #turns: number[];

  constructor(count: number) {
    this.#heads = new Array(count).fill(undefined);
    this.#turns = new Array(count).fill(0);
  }

  get heads(): readonly (string | undefined)[] {
    return this.#heads;
  }

  /**
   * One turn on every chain of `slice` (all by default) against the server at `url`; the first error aborts
   * the round. The result's `turn` is the turn the slice's first chain had.
   */
  async advance(
    url: string,
    concurrency: number,
    tag: string,
    slice: ChainSlice = { from: 0, to: this.#heads.length },
  ): Promise<RoundResult> {
    if (slice.from < 0 || slice.to > this.#heads.length || slice.from >= slice.to) {
      throw new Error(`chains ${slice.from}–${slice.to} of ${this.#heads.length}: not a slice`);
    }
    const turn = (this.#turns[slice.from] as number) + 1;
    const pool = new Pool(url, { connections: concurrency, keepAliveTimeout: 30_000 });
    const headers = { 'content-type': 'application/json', [TAG_HEADER]: tag };
    const latencies: number[] = [];
    let firstChainInputTokens = Number.NaN;
    let next = slice.from;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const client = async (): Promise<void> => {
      while (next < slice.to) {
        const i = next++;
        const chainTurn = (this.#turns[i] ?? 0) + 1;
        const start = performance.now();
        const res = await pool.request({
          path: CREATE_PATH,
          method: 'POST',
          headers,
          body: agentBody(chainTurn, this.#heads[i]),
        });
        const text = await res.body.text();
        latencies.push(performance.now() - start);
        if (res.statusCode !== 200)
          throw new Error(`turn ${turn}: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
        const answer = JSON.parse(text) as { id: string; usage?: { total_input_tokens?: number } };
        this.#heads[i] = answer.id;
        this.#turns[i] = chainTurn;
        if (i === slice.from) firstChainInputTokens = answer.usage?.total_input_tokens ?? Number.NaN;
      }
    };
    try {
      await Promise.all(Array.from({ length: concurrency }, client));
    } finally {
      await pool.close();
    }
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return {
      turn,
      requests: latencies.length,
      wallMs,
      rps: latencies.length / (wallMs / 1000),
      p50Ms: median(latencies),
      p99Ms: percentile(latencies, 99),
      clientCpuMicros: cpu.user + cpu.system,
      firstChainInputTokens,
    };
  }
}

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

export class ChainDriver {
  /** Last interaction id of each chain (undefined before its first turn). */
  readonly #heads: (string | undefined)[];
  #turn = 0;

  constructor(count: number) {
    this.#heads = new Array(count).fill(undefined);
  }

  get turn(): number {
    return this.#turn;
  }

  get heads(): readonly (string | undefined)[] {
    return this.#heads;
  }

  /** One turn on every chain against the server at `url`; the first error aborts the round. */
  async advance(url: string, concurrency: number, tag: string): Promise<RoundResult> {
    const turn = ++this.#turn;
    const pool = new Pool(url, { connections: concurrency, keepAliveTimeout: 30_000 });
    const headers = { 'content-type': 'application/json', [TAG_HEADER]: tag };
    const latencies: number[] = [];
    let firstChainInputTokens = Number.NaN;
    let next = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const client = async (): Promise<void> => {
      while (next < this.#heads.length) {
        const i = next++;
        const start = performance.now();
        const res = await pool.request({
          path: CREATE_PATH,
          method: 'POST',
          headers,
          body: agentBody(turn, this.#heads[i]),
        });
        const text = await res.body.text();
        latencies.push(performance.now() - start);
        if (res.statusCode !== 200)
          throw new Error(`turn ${turn}: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
        const answer = JSON.parse(text) as { id: string; usage?: { total_input_tokens?: number } };
        this.#heads[i] = answer.id;
        if (i === 0) firstChainInputTokens = answer.usage?.total_input_tokens ?? Number.NaN;
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

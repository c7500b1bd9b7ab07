/**
 * What a conversation's depth costs the server, read two ways (the conversations benchmark).
 *
 * Each round continues every chain by one turn and, right before or after it on the same server, gives the
 * first turn to a few new chains. Turn D's figure against those first turns of the same round measures depth
 * alone: both sub-rounds ran within seconds of each other, on the same process with the same database. Turn
 * D against round 1 also measures whatever the machine and the process did in the minutes between: on a
 * shared VM whose speed drifts, the floor, which reads no history, once paid 1.27–1.65× more CPU at its round
 * 50 than at its round 1.
 */
import type { RoundResult } from './chain-driver.ts';
import { median, ratio } from './stats.ts';

/** One sub-round, with the server's CPU per turn read around it. */
export interface MeasuredRound extends RoundResult {
  /** Server CPU per turn (µs). */
  cpuPerTurn: number;
}

/** Latency and CPU of one sub-round as multiples of another's. */
export interface Ratios {
  p50: number;
  cpu: number;
}

export function ratios(r: MeasuredRound, base: MeasuredRound): Ratios {
  return { p50: ratio(r.p50Ms, base.p50Ms), cpu: ratio(r.cpuPerTurn, base.cpuPerTurn) };
}

export interface DepthRatios {
  /** Turn `turn` vs the first turns of new chains measured in the same round: what depth costs. */
  sameRound: Ratios;
  /** Turn `turn` vs round 1 (itself first turns, minutes earlier): depth plus the drift in between. */
  vsRoundOne: Ratios;
}

/**
 * The ratios of turn `turn` on one server. `continued[i]` is round i + 1 of the chains it advances (so its
 * turn i + 1); `firstTurns[i]` the first turns of new chains in that same round.
 */
export function depthRatios(
  continued: readonly MeasuredRound[],
  firstTurns: readonly MeasuredRound[],
  turn: number,
): DepthRatios {
  const round = continued[turn - 1];
  const first = continued[0];
  const sameRoundFirst = firstTurns[turn - 1];
  if (!round || !first || !sameRoundFirst) {
    throw new Error(
      `turn ${turn}: ${continued.length} continued rounds and ${firstTurns.length} rounds of first turns`,
    );
  }
  if (round.turn !== turn || first.turn !== 1 || sameRoundFirst.turn !== 1) {
    throw new Error(
      `turn ${turn}: rounds out of step (continued turn ${round.turn}, round 1 turn ${first.turn}, ` +
        `new chains turn ${sameRoundFirst.turn})`,
    );
  }
  return { sameRound: ratios(round, sameRoundFirst), vsRoundOne: ratios(round, first) };
}

/**
 * The median over turns `from`…`to` of each turn's same-round ratio. One round's first turns are a sub-round
 * of a second or less, so a burst of another process's load, or one major collection, moves a single
 * round's figure; the median of a few neighbouring rounds (about the same depth) does not follow one of them.
 */
export function medianSameRound(
  continued: readonly MeasuredRound[],
  firstTurns: readonly MeasuredRound[],
  from: number,
  to: number,
): Ratios {
  const each = Array.from(
    { length: to - from + 1 },
    (_, i) => depthRatios(continued, firstTurns, from + i).sameRound,
  );
  return { p50: median(each.map((x) => x.p50)), cpu: median(each.map((x) => x.cpu)) };
}

/**
 * The median over batches of each batch's continued turns against the first turns run right next to them
 * (the cold figure: after one restart, batches of the two kinds alternate, so both share the process's
 * warm-up, which a comparison of one whole set with another made after a second restart did not ensure).
 */
export function medianPairedRatios(
  continued: readonly MeasuredRound[],
  firstTurns: readonly MeasuredRound[],
): Ratios {
  if (continued.length === 0 || continued.length !== firstTurns.length) {
    throw new Error(`${continued.length} batches of continued turns and ${firstTurns.length} of first turns`);
  }
  const each = continued.map((batch, i) => ratios(batch, firstTurns[i] as MeasuredRound));
  return { p50: median(each.map((x) => x.p50)), cpu: median(each.map((x) => x.cpu)) };
}

/**
 * Batches read as one sub-round: turns and time summed, CPU per turn weighted by turns, p50 and p99 the
 * medians of the batches' own (their pooled latencies are not kept).
 */
export function pooled(batches: readonly MeasuredRound[]): MeasuredRound {
  const first = batches[0];
  if (!first) throw new Error('no batches');
  const requests = batches.reduce((n, b) => n + b.requests, 0);
  const wallMs = batches.reduce((n, b) => n + b.wallMs, 0);
  return {
    ...first,
    requests,
    wallMs,
    rps: requests / (wallMs / 1000),
    p50Ms: median(batches.map((b) => b.p50Ms)),
    p99Ms: median(batches.map((b) => b.p99Ms)),
    clientCpuMicros: batches.reduce((n, b) => n + b.clientCpuMicros, 0),
    cpuPerTurn: batches.reduce((n, b) => n + b.cpuPerTurn * b.requests, 0) / requests,
  };
}

import { describe, expect, it } from 'vitest';
import {
  depthRatios,
  type MeasuredRound,
  medianPairedRatios,
  medianSameRound,
  pooled,
} from '../src/lib/depth-ratios.ts';

function round(turn: number, p50Ms: number, cpuPerTurn: number): MeasuredRound {
  return {
    turn,
    requests: 100,
    wallMs: 1000,
    rps: 100,
    p50Ms,
    p99Ms: 2 * p50Ms,
    clientCpuMicros: 0,
    firstChainInputTokens: 10 * turn,
    cpuPerTurn,
  };
}

describe('depthRatios', () => {
  // A machine that slows down by 2 % a round, and a server whose turns cost 1 % more a level of depth.
  const drift = (r: number) => 1.02 ** (r - 1);
  const continued = Array.from({ length: 50 }, (_, i) =>
    round(i + 1, drift(i + 1) * 1.01 ** i, 800 * drift(i + 1) * 1.01 ** i),
  );
  const firstTurns = Array.from({ length: 50 }, (_, i) => round(1, drift(i + 1), 800 * drift(i + 1)));

  it('compares turn D with the first turns of the same round: the depth, not the drift', () => {
    const { sameRound, vsRoundOne } = depthRatios(continued, firstTurns, 50);
    expect(sameRound.p50).toBeCloseTo(1.01 ** 49, 9);
    expect(sameRound.cpu).toBeCloseTo(1.01 ** 49, 9);
    // Against round 1 the drift is in the figure too.
    expect(vsRoundOne.p50).toBeCloseTo(1.01 ** 49 * 1.02 ** 49, 9);
    expect(vsRoundOne.cpu).toBeCloseTo(1.01 ** 49 * 1.02 ** 49, 9);
  });

  it('reads 1 for a server whose turns cost the same at any depth, however the machine drifts', () => {
    const flat = Array.from({ length: 50 }, (_, i) => round(i + 1, drift(i + 1), 500 * drift(i + 1)));
    const { sameRound, vsRoundOne } = depthRatios(flat, firstTurns, 50);
    expect(sameRound.p50).toBeCloseTo(1, 9);
    expect(sameRound.cpu).toBeCloseTo(500 / 800, 9);
    expect(vsRoundOne.p50).toBeGreaterThan(2.5);
  });

  it('refuses rounds that are missing or out of step', () => {
    expect(() => depthRatios(continued, firstTurns.slice(0, 49), 50)).toThrow(/49 rounds of first turns/);
    expect(() => depthRatios(continued.slice(1), firstTurns, 49)).toThrow(/out of step/);
    const notFirst = firstTurns.map((r, i) => (i === 9 ? { ...r, turn: 2 } : r));
    expect(() => depthRatios(continued, notFirst, 10)).toThrow(/out of step/);
  });
});

describe('medianSameRound', () => {
  it('does not follow one round whose first turns met a burst of load', () => {
    const continued = Array.from({ length: 50 }, (_, i) => round(i + 1, 6, 500));
    const firstTurns = Array.from({ length: 50 }, () => round(1, 3, 250));
    // Round 50's new chains ran while something else took the CPU: their latency doubled.
    firstTurns[49] = round(1, 6, 250);
    expect(depthRatios(continued, firstTurns, 50).sameRound.p50).toBe(1);
    expect(medianSameRound(continued, firstTurns, 46, 50)).toEqual({ p50: 2, cpu: 2 });
  });
});

describe('the cold batches', () => {
  // After a restart the process warms up: the first batches cost more, continued and first turns alike.
  const warmUp = (b: number) => 3 / (b + 1) + 1;
  const continued = Array.from({ length: 10 }, (_, b) => round(51, 1.4 * warmUp(b), 1.4 * 300 * warmUp(b)));
  const firstTurns = Array.from({ length: 10 }, (_, b) => round(1, warmUp(b), 300 * warmUp(b)));

  it('pairs each batch with the first turns next to it: the warm-up both share is not in the ratio', () => {
    const { p50, cpu } = medianPairedRatios(continued, firstTurns);
    expect(p50).toBeCloseTo(1.4, 9);
    expect(cpu).toBeCloseTo(1.4, 9);
    // Against first turns measured on an already warm process, the warm-up would be charged to turn 51.
    const warm = pooled(continued).cpuPerTurn / (300 * warmUp(1000));
    expect(warm).toBeGreaterThan(2);
  });

  it('is the median of the batches: one batch that met a collection does not move it', () => {
    const hit = [...continued];
    hit[3] = round(51, 50, 50_000);
    expect(medianPairedRatios(hit, firstTurns).cpu).toBeCloseTo(1.4, 9);
  });

  it('pools batches: turns and time summed, CPU weighted by turns', () => {
    const small = { ...round(51, 1, 100), requests: 100, wallMs: 500 };
    const large = { ...round(51, 3, 400), requests: 300, wallMs: 1500 };
    const all = pooled([small, large]);
    expect(all.requests).toBe(400);
    expect(all.rps).toBeCloseTo(200, 9);
    expect(all.cpuPerTurn).toBeCloseTo((100 * 100 + 400 * 300) / 400, 9);
    expect(all.p50Ms).toBe(2);
  });

  it('refuses batches that do not pair', () => {
    expect(() => medianPairedRatios(continued, firstTurns.slice(1))).toThrow(/10 batches .* 9/);
  });
});

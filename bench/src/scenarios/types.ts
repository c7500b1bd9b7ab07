/** What every scenario takes and gives back. */
import type { BenchServer } from '../lib/servers.ts';

export interface ScenarioOptions {
  /** Small sizes and few rounds: proves the harness, measures nothing worth reporting. */
  quick: boolean;
  log: (line: string) => void;
  /**
   * A running Interplay server (default script, no delay) to use instead of starting one; it is left
   * running. The smoke test shares one across scenarios.
   */
  interplay?: BenchServer;
}

/** A target of the issue, checked against a measured figure. */
export interface Target {
  label: string;
  value: number;
  limit: number;
  /** `max`: value ≤ limit holds; `min`: value ≥ limit; `below`: value < limit. */
  kind: 'max' | 'min' | 'below';
  unit: string;
  ok: boolean;
}

export interface ScenarioResult {
  name: string;
  title: string;
  /** Flat named figures (`runner.median_ms`, …), for JSON output and RESULTS.md. */
  figures: Record<string, number>;
  /** Header + rows, printed as a table. */
  table: string[][];
  targets: Target[];
  /** Counts that prove the scenario did what it claims (checked by the smoke test). */
  evidence: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  title: string;
  /**
   * Runs when `--runs` is not given (default 1; quick mode always runs once): more for a scenario whose figure
   * moves by more from one run to the next than its distance to the target, so the report is a median.
   */
  defaultRuns?: number;
  run(options: ScenarioOptions): Promise<ScenarioResult>;
}

export function target(
  label: string,
  value: number,
  kind: Target['kind'],
  limit: number,
  unit: string,
): Target {
  const ok = kind === 'max' ? value <= limit : kind === 'min' ? value >= limit : value < limit;
  return { label, value, limit, kind, unit, ok };
}

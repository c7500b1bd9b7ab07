/**
 * Runs a selection of scenarios, each as many times as asked (`--runs N`) or as it declares
 * (`Scenario.defaultRuns`), and sums the runs up: the median and range of every figure, targets re-checked on
 * the medians.
 */
import { loadavg } from 'node:os';
import { type Scenario, type ScenarioResult, type Target, target } from '../scenarios/types.ts';
import { fmt, median } from './stats.ts';

export interface RunSelectionOptions {
  quick: boolean;
  /** `--runs N`: every scenario runs N times. Unset: each runs its `defaultRuns` (one in quick mode). */
  runs?: number;
  log: (line: string) => void;
}

export interface Summary {
  name: string;
  title: string;
  /** How many runs the figures are the medians of. */
  runs: number;
  figures: { key: string; median: number; min: number; max: number }[];
  targets: Target[];
}

export interface SelectionOutcome {
  results: ScenarioResult[];
  summary: Summary[];
  /** Some run threw. */
  failed: boolean;
}

/** How many times `scenario` runs: `--runs` when given; otherwise one quick run, or the scenario's default. */
export function runsOf(scenario: Scenario, options: Pick<RunSelectionOptions, 'quick' | 'runs'>): number {
  if (options.runs !== undefined) return options.runs;
  return options.quick ? 1 : (scenario.defaultRuns ?? 1);
}

/** Per scenario: the median (and range) of every figure over the runs; targets re-checked on the medians. */
export function summarize(results: readonly ScenarioResult[]): Summary[] {
  const out: Summary[] = [];
  for (const name of [...new Set(results.map((r) => r.name))]) {
    const runs = results.filter((r) => r.name === name);
    const keys = [...new Set(runs.flatMap((r) => Object.keys(r.figures)))];
    const figures = keys.map((key) => {
      const values = runs.map((r) => r.figures[key]).filter((v): v is number => v !== undefined);
      return { key, median: median(values), min: Math.min(...values), max: Math.max(...values) };
    });
    const labels = [...new Set(runs.flatMap((r) => r.targets.map((t) => t.label)))];
    const targets = labels.map((label) => {
      const all = runs.flatMap((r) => r.targets.filter((t) => t.label === label));
      const first = all[0] as Target;
      return target(label, median(all.map((t) => t.value)), first.kind, first.limit, first.unit);
    });
    out.push({ name, title: runs[0]?.title ?? name, runs: runs.length, figures, targets });
  }
  return out;
}

export function renderTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  const [head, ...body] = rows;
  if (!head) return '';
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join('\n');
}

export function renderTarget(t: Target): string {
  const op = t.kind === 'max' ? '≤' : t.kind === 'min' ? '≥' : '<';
  return `${t.ok ? 'HOLDS ' : 'MISSED'}  ${t.label}: ${fmt(t.value)} ${t.unit} (target ${op} ${fmt(t.limit)} ${t.unit})`;
}

/**
 * The machine's 1-minute load average, sampled every 5 s while a scenario runs (it includes the bench's own
 * processes: a server and a load generator busy make about 2 of it on this machine).
 */
function sampleLoad(): { stop: () => Record<string, number> } {
  const samples = [loadavg()[0] as number];
  const timer = setInterval(() => samples.push(loadavg()[0] as number), 5000);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      samples.push(loadavg()[0] as number);
      return { 'load.min': Math.min(...samples), 'load.max': Math.max(...samples) };
    },
  };
}

/**
 * Runs the selection in rounds, as `--runs N` always did: round k runs, in order, every scenario that has a
 * k-th run, so a scenario's runs are spread over the session rather than back to back.
 */
export async function runSelection(
  selected: readonly Scenario[],
  options: RunSelectionOptions,
): Promise<SelectionOutcome> {
  const { quick, log } = options;
  const counts = selected.map((s) => runsOf(s, options));
  const rounds = Math.max(0, ...counts);
  const results: ScenarioResult[] = [];
  let failed = false;
  for (let run = 1; run <= rounds; run++) {
    for (const [i, scenario] of selected.entries()) {
      const of = counts[i] as number;
      if (run > of) continue;
      log(`\n## ${scenario.title}  [${scenario.name}]${of > 1 ? ` — run ${run}/${of}` : ''}`);
      const started = performance.now();
      const load = sampleLoad();
      try {
        const result = await scenario.run({ quick, log });
        Object.assign(result.figures, load.stop());
        results.push(result);
        log(renderTable(result.table));
        if (!quick) for (const t of result.targets) log(renderTarget(t));
        log(
          `  (${((performance.now() - started) / 1000).toFixed(1)} s, load average ` +
            `${fmt(result.figures['load.min'] as number)}–${fmt(result.figures['load.max'] as number)})`,
        );
      } catch (err) {
        load.stop();
        failed = true;
        log(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
  }
  const summary = summarize(results);
  const repeated = summary.filter((s) => s.runs > 1);
  if (repeated.length > 0) {
    log('\n## Medians of the runs (min … max)');
    for (const s of repeated) {
      log(`\n### ${s.title}  [${s.name}] — ${s.runs} runs`);
      log(
        renderTable([
          ['figure', 'median', 'min … max'],
          ...s.figures.map((f) => [f.key, fmt(f.median), `${fmt(f.min)} … ${fmt(f.max)}`]),
        ]),
      );
    }
  }
  if (!quick && summary.some((s) => s.targets.length > 0)) {
    log(repeated.length > 0 ? '\n## Targets (medians where a scenario ran more than once)' : '\n## Targets');
    for (const s of summary) {
      const of = s.runs > 1 ? ` (median of ${s.runs} runs)` : '';
      for (const t of s.targets) log(`${renderTarget(t)}${of}`);
    }
  }
  return { results, summary, failed };
}

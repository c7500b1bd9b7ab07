/**
 * `pnpm bench [--only name[,name…]] [--quick] [--json FILE]`: runs the benchmarks in one process (servers in
 * child processes), prints a table per scenario and the targets, optionally writes every figure as JSON.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { machineInfo } from './lib/machine.ts';
import { fmt, median } from './lib/stats.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { type ScenarioResult, type Target, target } from './scenarios/types.ts';

const USAGE = `usage: pnpm bench [--only NAME[,NAME…]] [--quick] [--runs N] [--json FILE] [--list]

  --only   run only these scenarios (${SCENARIOS.map((s) => s.name).join(', ')})
  --quick  tiny sizes and few rounds: checks the harness, the figures mean little
  --runs   run the selection N times and end with the median of every figure and target (default 1)
  --json   also write every figure, target and the machine to FILE
  --list   list the scenarios and exit
`;

interface Summary {
  name: string;
  title: string;
  figures: { key: string; median: number; min: number; max: number }[];
  targets: Target[];
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
    out.push({ name, title: runs[0]?.title ?? name, figures, targets });
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

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
      runs: { type: 'string', default: '1' },
      json: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(16)} ${s.title}\n`);
    return 0;
  }
  const only = (values.only ?? []).flatMap((o) => o.split(',')).filter((o) => o !== '');
  const unknown = only.filter((o) => !SCENARIOS.some((s) => s.name === o));
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario: ${unknown.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const selected = only.length > 0 ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS;
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write(`--runs must be a positive integer\n\n${USAGE}`);
    return 2;
  }
  const machine = machineInfo();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(
    `interplay bench — ${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `load ${machine.loadavg.join(' ')}${values.quick ? ' — QUICK MODE (figures not meaningful)' : ''}`,
  );
  const results: ScenarioResult[] = [];
  let failed = false;
  for (let run = 1; run <= runs; run++) {
    for (const scenario of selected) {
      log(`\n## ${scenario.title}  [${scenario.name}]${runs > 1 ? ` — run ${run}/${runs}` : ''}`);
      const started = performance.now();
      const load = sampleLoad();
      try {
        const result = await scenario.run({ quick: values.quick, log });
        Object.assign(result.figures, load.stop());
        results.push(result);
        log(renderTable(result.table));
        if (!values.quick) for (const t of result.targets) log(renderTarget(t));
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
  if (runs > 1) {
    log(`\n## Medians of ${runs} runs (min … max)`);
    for (const s of summary) {
      log(`\n### ${s.title}  [${s.name}]`);
      log(
        renderTable([
          ['figure', 'median', 'min … max'],
          ...s.figures.map((f) => [f.key, fmt(f.median), `${fmt(f.min)} … ${fmt(f.max)}`]),
        ]),
      );
    }
  }
  const targets = summary.flatMap((s) => s.targets);
  if (targets.length > 0 && !values.quick) {
    log(runs > 1 ? `\n## Targets (medians of ${runs} runs)` : '\n## Targets');
    for (const t of targets) log(renderTarget(t));
  }
  if (values.json) {
    writeFileSync(
      values.json,
      `${JSON.stringify({ date: new Date().toISOString(), quick: values.quick, runs, machine, summary, results }, null, 2)}\n`,
    );
    log(`\nwrote ${values.json}`);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

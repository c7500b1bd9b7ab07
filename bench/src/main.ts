/**
 * `pnpm bench [--only name[,name…]] [--quick] [--json FILE]`: runs the benchmarks in one process (servers in
 * child processes), prints a table per scenario and the targets, optionally writes every figure as JSON.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { machineInfo } from './lib/machine.ts';
import { fmt } from './lib/stats.ts';
import { SCENARIOS } from './scenarios/index.ts';
import type { ScenarioResult, Target } from './scenarios/types.ts';

const USAGE = `usage: pnpm bench [--only NAME[,NAME…]] [--quick] [--json FILE] [--list]

  --only   run only these scenarios (${SCENARIOS.map((s) => s.name).join(', ')})
  --quick  tiny sizes and few rounds: checks the harness, the figures mean little
  --json   also write every figure, target and the machine to FILE
  --list   list the scenarios and exit
`;

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

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
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
  const machine = machineInfo();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(
    `interplay bench — ${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `load ${machine.loadavg.join(' ')}${values.quick ? ' — QUICK MODE (figures not meaningful)' : ''}`,
  );
  const results: ScenarioResult[] = [];
  let failed = false;
  for (const scenario of selected) {
    log(`\n## ${scenario.title}  [${scenario.name}]`);
    const started = performance.now();
    try {
      const result = await scenario.run({ quick: values.quick, log });
      results.push(result);
      log(renderTable(result.table));
      for (const t of result.targets) log(renderTarget(t));
      log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (err) {
      failed = true;
      log(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  const targets = results.flatMap((r) => r.targets);
  if (targets.length > 0) {
    log('\n## Targets');
    for (const t of targets) log(renderTarget(t));
  }
  if (values.json) {
    writeFileSync(
      values.json,
      `${JSON.stringify({ date: new Date().toISOString(), quick: values.quick, machine, results }, null, 2)}\n`,
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

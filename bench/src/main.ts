/**
 * `pnpm bench [--only name[,name…]] [--quick] [--runs N] [--json FILE]`: runs the benchmarks in one process (servers in
 * child processes), prints a table per scenario and the targets, optionally writes every figure as JSON.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { machineInfo } from './lib/machine.ts';
import { runSelection, runsOf } from './lib/run-selection.ts';
import { SCENARIOS } from './scenarios/index.ts';

const USAGE = `usage: pnpm bench [--only NAME[,NAME…]] [--quick] [--runs N] [--json FILE] [--list]

  --only   run only these scenarios (${SCENARIOS.map((s) => s.name).join(', ')})
  --quick  tiny sizes and few rounds: checks the harness, the figures mean little
  --runs   run every selected scenario N times and end with the median of every figure and target
           (default: the scenario's own, 3 for those one run cannot tell; 1 with --quick)
  --json   also write every figure, target and the machine to FILE
  --list   list the scenarios and exit
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
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
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1)) {
    process.stderr.write(`--runs must be a positive integer\n\n${USAGE}`);
    return 2;
  }
  const machine = machineInfo();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(
    `interplay bench — ${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `load ${machine.loadavg.join(' ')}${values.quick ? ' — QUICK MODE (figures not meaningful)' : ''}`,
  );
  const { results, summary, failed } = await runSelection(selected, { quick: values.quick, runs, log });
  if (values.json) {
    // Runs per scenario: with no --runs they differ (Scenario.defaultRuns).
    const runsByScenario = Object.fromEntries(
      selected.map((s) => [s.name, runsOf(s, { quick: values.quick, runs })]),
    );
    const json = {
      date: new Date().toISOString(),
      quick: values.quick,
      runs: runsByScenario,
      machine,
      summary,
      results,
    };
    writeFileSync(values.json, `${JSON.stringify(json, null, 2)}\n`);
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

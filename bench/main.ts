import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { calibrate } from './harness/calibrate.js';
import { describeMachine } from './harness/machine.js';
import { USAGE, UsageError, parseOptions } from './harness/options.js';
import { renderTable, toJson } from './harness/report.js';
import type { BenchContext, Scenario, ScenarioResult } from './harness/scenario.js';
import { ceiling } from './scenarios/ceiling.js';
import { overhead } from './scenarios/overhead.js';
import { population } from './scenarios/population.js';
import { pruning } from './scenarios/pruning.js';
import { quality } from './scenarios/quality.js';

const SCENARIOS: Readonly<Record<string, Scenario>> = { overhead, ceiling, population, quality, pruning };

async function main(): Promise<number> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const machine = { ...describeMachine(), ...(await calibrate(options.cluster)) };
  const context: BenchContext = { quick: options.quick, cluster: options.cluster, breakdown: options.breakdown, progress: (line) => process.stderr.write(`bench: ${line}\n`) };
  const started = performance.now();
  const results: ScenarioResult[] = [];
  const failed: string[] = [];
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    if (options.only.length > 0 && !options.only.includes(name)) continue;
    try {
      for (const result of await scenario(context)) results.push(result);
    } catch (error) {
      failed.push(name);
      process.stderr.write(`bench: scenario ${name} failed; the others go on:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  process.stdout.write(
    `hyperevolve benchmark${options.quick ? ' (--quick)' : ''}: ${machine.cpus} × ${machine.model}, node ${machine.node}, redis ${machine.redis}, ` +
      `load average ${machine.load_average.join(' ')} at start, ${machine.date}, ${seconds} s\n` +
      `calibration: a small file write + read in ${machine.bench_dir} ${machine.fs_write_read_ms} ms, a Redis PING on loopback ${machine.redis_ping_ms} ms (p50)\n\n`,
  );
  process.stdout.write(renderTable(results));
  if (options.json !== null) {
    await writeFile(options.json, `${JSON.stringify(toJson(machine, results), null, 2)}\n`);
    process.stdout.write(`\nfigures written to ${options.json}\n`);
  }
  if (failed.length > 0) {
    process.stdout.write(`\nscenarios that failed (see stderr): ${failed.join(', ')}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();

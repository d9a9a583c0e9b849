import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  formatProgressLine,
  GaInputError,
  parseHypYaml,
  resultsCsvHeader,
  resultsCsvRow,
  writeHypYaml,
  YOLOV5_METRIC_NAMES,
  YOLOV5_RESULTS_COLUMNS,
  type Hyp,
} from '@hyperevolve/ga-core';
import type { SimTrainConfig } from './config.js';
import { decideFailure, flakyWord, type FailMode } from './fail-mode.js';
import { LANDSCAPE_TERMS, qualityFitness, simulatedQuality } from './landscape.js';
import { qualityAfter, runLuck } from './learning-curve.js';
import { writeRunArtifacts } from './run-artifacts.js';
import { makeRunDir } from './run-dir.js';
import { epochRow } from './training-curve.js';

/** The run cannot start or finish (bad hyp file, missing hyp): main prints it and exits 1. */
export class TrialError extends Error {
  override readonly name = 'TrialError';
}

/**
 * One simulated training run. Resolves when the run finished normally or by a failure mode
 * that ends it with exit code 0 (`garbage`, `nan`, `no-results`); exits the process itself for
 * `exit:`/`signal:` and never resolves for the hang modes.
 */
export async function runTrial(config: SimTrainConfig, log: (line: string) => void): Promise<void> {
  const hyp = readHyp(config.hyp);
  const failure = decideFailure(config.fail, config.failRate, config.seed, config.name);
  const runDir = makeRunDir(config.project, config.name, config.existOk);
  // YOLOv5 saves the hyps it trains with into the run directory.
  writeFileSync(join(runDir, 'hyp.yaml'), writeHypYaml(hyp));

  log(`sim-train: simulated YOLOv5 training, no model; device=${config.device || 'auto'} seed=${config.seed} noise=${config.noise}`);
  log(`hyperparameters: ${Object.entries(hyp).map(([name, value]) => `${name}=${value}`).join(', ')}`);
  if (failure !== undefined) log(`sim-train: this run will fail on purpose: ${describeFailure(failure)}`);
  // A failure by chance ends in its own words; one that always comes (--fail alone) the same way each run.
  const tag = config.failRate < 1 ? ` (flaky: ${flakyWord(config.seed, config.name)})` : '';

  const resultsCsv = join(runDir, 'results.csv');
  if (failure?.kind === 'no-results') {
    log(`sim-train: exiting without results.csv (--fail no-results)${tag}`);
    return;
  }
  if (failure?.kind === 'garbage') {
    writeFileSync(resultsCsv, `${resultsCsvHeader(YOLOV5_RESULTS_COLUMNS)}\u0000\u0000 garbage, not a row \u00ff\n`);
    log(`sim-train: wrote an unparseable ${resultsCsv} (--fail garbage)${tag}`);
    return;
  }

  const finalQuality = simulatedQuality(hyp, { seed: config.seed, runName: config.name, sigma: config.noise });
  const luck = runLuck(config.seed, config.name);
  const shape = { epochs: config.epochs, rankCorrelation: config.rankCorrelation, firstRung: config.firstRung };
  const failAfter = Math.floor(config.epochs / 2);
  log(`Starting training for ${config.epochs} epochs...`);
  for (let epoch = 0; epoch < config.epochs; epoch += 1) {
    if (epoch === failAfter && failure !== undefined) await failNow(failure, runDir, log, tag);
    await sleep(config.durationMs / config.epochs);
    const row = epochRow({
      hyp,
      quality: qualityAfter(shape, finalQuality, luck, epoch + 1),
      epoch,
      epochs: config.epochs,
      noval: config.noval,
      diverged: failure?.kind === 'nan' && epoch >= failAfter,
    });
    // Like YOLOv5: the header only when the file is new, so a reused directory is appended to.
    const header = existsSync(resultsCsv) ? '' : resultsCsvHeader(YOLOV5_RESULTS_COLUMNS);
    appendFileSync(resultsCsv, header + resultsCsvRow(row, YOLOV5_RESULTS_COLUMNS));
    if (config.progressFile !== undefined) appendFileSync(config.progressFile, `${progressLine(row, epoch, config)}\n`);
    logEpoch(row, epoch, config.epochs, log);
  }
  writeRunArtifacts(runDir, { plots: config.plots, plantLink: config.plantLink });
  log(`${config.epochs} epochs completed in ${(config.durationMs / 3_600_000).toFixed(3)} hours.`);
  log(`Results saved to ${runDir}`);
  if (failure?.kind !== 'nan') log(`sim-train: fitness ${qualityFitness(finalQuality).toFixed(5)}`);
}

/** The epoch's line for the progress file: the metrics it validated (none before the last epoch with --noval). */
function progressLine(row: Record<string, number>, epoch: number, config: SimTrainConfig): string {
  const validated = !config.noval || epoch === config.epochs - 1;
  return formatProgressLine({
    epoch,
    epochs: config.epochs,
    ...(validated ? { metrics: Object.fromEntries(YOLOV5_METRIC_NAMES.map((name) => [name, row[name] ?? Number.NaN])) } : {}),
  });
}

function readHyp(path: string): Hyp {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TrialError(`cannot read --hyp ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let hyp: Hyp;
  try {
    hyp = parseHypYaml(text, path);
  } catch (error) {
    if (error instanceof GaInputError) throw new TrialError(error.message, { cause: error });
    throw error;
  }
  // YOLOv5 reads every one of these and dies with a KeyError when one is missing.
  const missing = Object.keys(LANDSCAPE_TERMS).filter((name) => hyp[name] === undefined);
  if (missing.length > 0) {
    throw new TrialError(`KeyError: ${path} lacks ${missing.map((m) => `'${m}'`).join(', ')}; YOLOv5's train.py needs every hyp of hyp.scratch-low.yaml`);
  }
  return hyp;
}

async function failNow(failure: FailMode, runDir: string, log: (line: string) => void, tag: string): Promise<void> {
  switch (failure.kind) {
    case 'exit':
      log(`sim-train: exiting with code ${failure.code} (--fail)${tag}`);
      return process.exit(failure.code);
    case 'signal':
      log(`sim-train: killing myself with ${failure.signal} (--fail)`);
      process.kill(process.pid, failure.signal);
      // A signal whose default action is not to terminate (SIGCHLD, SIGCONT…) lands here.
      await sleep(2000);
      process.stderr.write(`sim-train: ${failure.signal} did not end the process; exiting 70\n`);
      return process.exit(70);
    case 'hang-with-child': {
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
      writeFileSync(join(runDir, 'child.pid'), `${child.pid ?? ''}\n`);
      log(`sim-train: started child process ${child.pid ?? '?'}; hanging (--fail hang-with-child)`);
      return hangForever();
    }
    case 'hang-ignore-term':
      process.on('SIGTERM', () => log('sim-train: ignoring SIGTERM (--fail hang-ignore-term)'));
      log('sim-train: hanging and ignoring SIGTERM (--fail hang-ignore-term)');
      return hangForever();
    case 'hang':
      log('sim-train: hanging (--fail hang)');
      return hangForever();
    default:
      return; // nan, garbage, no-results are handled by the caller
  }
}

function hangForever(): Promise<never> {
  // A pending promise alone lets Node exit; the interval keeps it alive.
  return new Promise<never>(() => setInterval(() => undefined, 1 << 30));
}

function describeFailure(failure: FailMode): string {
  if (failure.kind === 'exit') return `exit:${failure.code}`;
  if (failure.kind === 'signal') return `signal:${failure.signal}`;
  return failure.kind;
}

function logEpoch(row: Record<string, number>, epoch: number, epochs: number, log: (line: string) => void): void {
  const cell = (value: number | undefined, digits = 4): string => (value ?? NaN).toFixed(digits).padStart(11);
  log(`${'Epoch'.padStart(11)}${'GPU_mem'.padStart(11)}${'box_loss'.padStart(11)}${'obj_loss'.padStart(11)}${'cls_loss'.padStart(11)}`);
  log(`${`${epoch}/${epochs - 1}`.padStart(11)}${'0G'.padStart(11)}${cell(row['train/box_loss'])}${cell(row['train/obj_loss'])}${cell(row['train/cls_loss'])}`);
  log(`${'Class'.padStart(22)}${'P'.padStart(11)}${'R'.padStart(11)}${'mAP50'.padStart(11)}${'mAP50-95'.padStart(11)}`);
  log(
    `${'all'.padStart(22)}${cell(row['metrics/precision'], 3)}${cell(row['metrics/recall'], 3)}${cell(row['metrics/mAP_0.5'], 3)}${cell(row['metrics/mAP_0.5:0.95'], 3)}`,
  );
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GaInputError, parseResultsCsv } from '@hyperevolve/ga-core';
import { deviceLabel } from '../device-selection.js';
import { TrialFailure } from '../trial-failure.js';
import type { RunContext, RunMetrics, TrainerAdapter, TrainerCommand } from './trainer-adapter.js';

/**
 * YOLOv5's train.py: `<command> --hyp <trialDir>/hyp.yaml --device <i|cpu> --project
 * <workdir>/<campaign> --name <runName> --exist-ok [--noval --nosave]`; metrics are the last
 * epoch of `<project>/<name>/results.csv`. The run name is unique per run, so `--exist-ok`
 * never appends to an older run's results.csv.
 */
export const yolov5Adapter: TrainerAdapter = {
  name: 'yolov5',

  command(context: RunContext): TrainerCommand {
    const argv = [
      ...context.job.command,
      '--hyp', context.hypPath,
      '--device', deviceLabel(context.device),
      '--project', context.projectDir,
      '--name', context.runName,
      '--exist-ok',
    ];
    if (context.job.fastTrials) argv.push('--noval', '--nosave');
    // YOLOv5 sets CUDA_VISIBLE_DEVICES itself from --device; it must see the physical index.
    return { argv, env: { YOLOv5_AUTOINSTALL: 'false' } };
  },

  async readMetrics(context: RunContext): Promise<RunMetrics> {
    const path = join(context.projectDir, context.runName, 'results.csv');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (isMissing(error)) {
        throw new TrialFailure('results-missing', `the trainer exited 0 but wrote no ${path}; is the command YOLOv5's train.py (adapter yolov5)? see train.log`, { cause: error });
      }
      throw error;
    }
    try {
      return { metrics: parseResultsCsv(text, path), fitness: null, source: path };
    } catch (error) {
      if (!(error instanceof GaInputError)) throw error;
      throw new TrialFailure(isNanMetric(error) ? 'metrics-nan' : 'results-garbled', error.message, { cause: error });
    }
  },
};

/**
 * parseResultsCsv throws, rather than returning NaN, when a metric of the chosen row is nan
 * (its message: `…, column "metrics/mAP_0.5" is nan; …`). A diverged run is metrics-nan, not
 * a garbled file; the adapter test pins this against the real parser.
 */
function isNanMetric(error: GaInputError): boolean {
  return /column "[^"]+" is [+-]?(nan|inf)\b/i.test(error.message);
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}

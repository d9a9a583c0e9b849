/**
 * YOLOv5's files as pure string functions: evolve.csv, hyp_evolve.yaml, hyp.yaml, results.csv,
 * and the two number spellings they rest on (`%20.5g` and PyYAML's float).
 *
 * @example
 * ```ts
 * const metrics = parseResultsCsv(await readFile(`${runDir}/results.csv`, 'utf8'), YOLOV5_METRIC_NAMES, runDir);
 * await writeFile(`${trialDir}/hyp.yaml`, writeHypYaml(hyp));
 * const csv = writeEvolveCsv({ metricNames: YOLOV5_METRIC_NAMES, hypNames }, rows); // byte-identical to YOLOv5's
 * ```
 */
export { formatG } from './format-g.js';
export { pyYamlFloat } from './py-yaml-float.js';
export { FITNESS_COLUMN, type EvolveColumns, type EvolveRow } from './evolve-row.js';
export { evolveCsvHeader, evolveCsvRow, writeEvolveCsv } from './evolve-csv-write.js';
export { parseEvolveCsv } from './evolve-csv-parse.js';
export { writeHypEvolveYaml } from './hyp-evolve-yaml.js';
export { writeHypYaml } from './hyp-yaml-write.js';
export { parseHypYaml } from './hyp-yaml-parse.js';
export { isValidHypName } from './hyp-name.js';
export { NanMetricError, parseResultsCsv, resultsCsvHeader, resultsCsvRow, writeResultsCsv } from './results-csv.js';
export { PyInt, pyFloatRepr, pyJsonDumps, pyJsonString } from './py-json.js';
export type { PyJson } from './py-json.js';
export { parseTuneResults, tuneResultsLine } from './tune-results.js';
export type { TuneResult } from './tune-results.js';
export { writeBestHyperparametersYaml } from './best-hyperparameters-yaml.js';

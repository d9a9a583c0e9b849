import type { EpochLineReader } from './epoch-log.js';

/**
 * results.csv as YOLOv5 and Ultralytics append it, as a per-epoch log: a header, then one
 * (space-padded) row per epoch whose `epoch` column is `firstEpochNumber` on the first (YOLOv5 0,
 * Ultralytics 1). Only `metricNames` are kept. A row whose kept columns are all exactly 0 was not
 * validated (YOLOv5's --noval rows, Ultralytics' val=False rows before its first validation) and
 * reports no metrics; a validated row has val losses, so a young model's mAP of 0 is still a
 * measured epoch (the pruner compares it). `nan` is null.
 */
export function resultsCsvEpochs(metricNames: readonly string[], firstEpochNumber: 0 | 1): EpochLineReader {
  let columns: string[] | undefined;
  return {
    reset() {
      columns = undefined;
    },
    read(line) {
      const cells = line.replace(/\r$/, '').split(',').map((cell) => cell.trim());
      if (cells.length === 1 && cells[0] === '') return null;
      if (columns === undefined || cells.includes('epoch')) {
        columns = cells;
        return columns.includes('epoch') ? null : { problem: `the first line has no "epoch" column: ${JSON.stringify(line.slice(0, 80))}` };
      }
      if (cells.length !== columns.length) return { problem: `a row of ${cells.length} cells under a header of ${columns.length}: ${JSON.stringify(line.slice(0, 80))}` };
      const value = (name: string): number | null | undefined => {
        const i = columns?.indexOf(name) ?? -1;
        if (i < 0) return undefined;
        const number = Number(cells[i]);
        return cells[i] === '' || !Number.isFinite(number) ? null : number;
      };
      const epoch = value('epoch');
      if (epoch === null || epoch === undefined || !Number.isInteger(epoch) || epoch < firstEpochNumber) return { problem: `a row whose epoch is not a whole number: ${JSON.stringify(line.slice(0, 80))}` };
      const metrics: Record<string, number | null> = {};
      for (const name of metricNames) {
        const v = value(name);
        if (v !== undefined) metrics[name] = v;
      }
      const validated = !Object.values(metrics).every((v) => v === 0);
      return { epoch: epoch - firstEpochNumber + 1, ...(validated && Object.keys(metrics).length > 0 ? { metrics } : {}) };
    },
  };
}

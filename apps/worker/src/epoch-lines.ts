import { parseProgressLine } from '@hyperevolve/contract';

/** An epoch the trainer finished, as its per-epoch file reports it. */
export interface EpochReading {
  /** Epochs done: 1 after the first. */
  readonly epoch: number;
  readonly epochs?: number;
  /** By the trainer's column names, null where it wrote nan; absent when the epoch was not validated. */
  readonly metrics?: Record<string, number | null>;
  readonly fitness?: number;
}

/** Reads complete lines of one per-epoch file; keeps what it needs between lines (a CSV's header). */
export interface EpochLineReader {
  /** One complete line (no newline): a reading, null for a line that is no epoch (a header, a blank), or a problem to log. */
  read(line: string): EpochReading | null | { readonly problem: string };
  /** The file was rewritten from its start. */
  reset(): void;
}

/**
 * results.csv as YOLOv5 and Ultralytics append it: a header, then one (space-padded) row per
 * epoch whose `epoch` column is `firstEpochNumber` on the first (YOLOv5 0, Ultralytics 1). Only `metricNames` are kept. A row whose
 * kept columns are all exactly 0 was not validated (YOLOv5's --noval rows, Ultralytics' val=False
 * rows before its first validation) and reports no metrics; a validated row has val losses, so a
 * young model's mAP of 0 is still a measured epoch (the pruner compares it). `nan` is null.
 */
export function resultsCsvLines(metricNames: readonly string[], firstEpochNumber: 0 | 1): EpochLineReader {
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

/** contract's progress file: one JSON object per line. */
export function progressFileLines(): EpochLineReader {
  return {
    reset() {},
    read(line) {
      if (line.trim() === '') return null;
      const parsed = parseProgressLine(line);
      if (!parsed.ok) return { problem: parsed.error };
      const { epoch, epochs, metrics, fitness } = parsed.line;
      return { epoch: epoch + 1, ...(epochs === undefined ? {} : { epochs }), ...(metrics === undefined ? {} : { metrics }), ...(fitness === undefined ? {} : { fitness }) };
    },
  };
}

import type { Logger } from 'pino';
import type { WorkerRecord } from '@hyperevolve/contract';
import type { RecordOutcome } from '@hyperevolve/trial-store';

/**
 * One run recorded: by the scheduler's recorder (a result on the results queue) or by its worker
 * (a completed trial job). A worker's record (contract's WorkerRecord) with any outcome, and the
 * fitness a number (NaN unless it succeeded).
 */
export type RecordedEvent = Omit<WorkerRecord, 'outcome' | 'fitness'> & { outcome: RecordOutcome; fitness: number };

/** The scheduler's log line of a recorded run (surplus and unknown trials warn). */
export function logRecorded(log: Logger, event: RecordedEvent): void {
  const { reply, outcome } = event;
  if (reply.code === 'unknown-trial') log.warn('result for a trial that was never issued dropped (issued before Redis lost and re-created this campaign? scheduler status tells)');
  if (reply.code === 'surplus') log.warn('result beyond the budget kept aside (status surplus)');
  if (reply.code === 'recorded' && outcome === 'pruned' && event.pruned !== null) {
    const { rung, fitness: at, cut } = event.pruned;
    log.info({ outcome, rung, fitness: at, cut }, `trial pruned after epoch ${rung}: fitness ${at} below the cut ${cut}`);
  } else if (reply.code === 'recorded') {
    log.info({ outcome, fitness: Number.isFinite(event.fitness) ? event.fitness : undefined, recorded: reply.recorded, best: reply.bestChanged || undefined }, `trial ${outcome}`);
  }
}

import type { Logger } from 'pino';
import type { PrunedAt } from '@hyperevolve/contract';
import type { RecordOutcome, RecordReply } from '@hyperevolve/trial-store';

/** One run recorded: by the scheduler's recorder (a result on the results queue) or by its worker (a completed trial job). */
export interface RecordedEvent {
  campaign: string;
  index: number;
  outcome: RecordOutcome;
  /** NaN unless it succeeded. */
  fitness: number;
  reply: RecordReply;
  /** The run: the worker's id, its start and its end (epoch ms). */
  run: { workerId: string; startedAt: number; finishedAt: number };
  /** A pruned run: where it stopped and why. */
  pruned: PrunedAt | null;
}

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

import { z } from 'zod';
import { CampaignNameSchema, PrunedAtSchema } from './schemas.js';

/** How record-result-8.lua answered a recording (trial-store's recordResult). */
export const RecordReplySchema = z.object({
  code: z.enum(['recorded', 'attempt-noted', 'already-final', 'unknown-trial', 'surplus', 'not-holder', 'unserved']),
  recorded: z.number(),
  bestChanged: z.boolean(),
  campaignStatus: z.string(),
});
export type RecordReply = z.infer<typeof RecordReplySchema>;

/**
 * A run its worker recorded itself, before completing the trial job (a job with
 * `workerRecords`): the job's return value, which the scheduler reads from the trials queue's
 * completed events instead of a result on the results queue.
 */
export const WorkerRecordSchema = z.object({
  campaign: CampaignNameSchema,
  index: z.number().int().min(0),
  outcome: z.enum(['succeeded', 'pruned']),
  /** The trial's fitness; null for a pruned run (it has none). */
  fitness: z.number().nullable(),
  workerId: z.string(),
  startedAt: z.number(),
  finishedAt: z.number(),
  /** A pruned run: the rung, its fitness there and the cut it was below. */
  pruned: PrunedAtSchema.nullable(),
  reply: RecordReplySchema,
});
export type WorkerRecord = z.infer<typeof WorkerRecordSchema>;

/** What a completed trial job returns (its BullMQ return value, in the completed event). */
export const TrialJobReturnSchema = z.discriminatedUnion('ran', [
  /** Not run, and never to be: `campaign` names whose files may have changed (a trial recorded by a run that did not complete its job). */
  z.object({ ran: z.literal(false), campaign: CampaignNameSchema.optional(), reason: z.string() }),
  /** `recorded`: the worker recorded the run; absent when it posted the result to the results queue. */
  z.object({ ran: z.literal(true), runName: z.string(), recorded: WorkerRecordSchema.optional() }),
]);
export type TrialJobReturn = z.infer<typeof TrialJobReturnSchema>;

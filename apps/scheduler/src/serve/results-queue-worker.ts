import { Worker, type Job, type JobJsonRaw } from 'bullmq';

/**
 * A BullMQ Worker for the results queue that survives job hashes written by hand. BullMQ parses
 * a job's `data` as JSON before the processor runs; when that throws, the job would sit active
 * until its lock expires and come round again for ever. Here such a job gets a stand-in
 * payload instead, which the recorder's schema check drops with a clear message. (The worker
 * app guards its trials queue the same way: apps/worker/src/trial-queue-worker.ts.)
 */
export class ResultsQueueWorker extends Worker {
  protected override createJob(raw: JobJsonRaw, jobId: string): Job {
    try {
      return super.createJob(raw, jobId);
    } catch (error) {
      const unparseable = { unparseable: String(raw.data).slice(0, 200), error: error instanceof Error ? error.message : String(error) };
      const repaired: JobJsonRaw = { ...raw, data: JSON.stringify(unparseable), progress: '0', opts: isJson(raw.opts) ? raw.opts : '{}' };
      delete repaired.parent;
      return super.createJob(repaired, jobId);
    }
  }
}

function isJson(text: string | undefined): boolean {
  if (text === undefined) return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

import { Worker, type Job, type JobJsonRaw } from 'bullmq';

/**
 * A BullMQ Worker that survives job hashes written by hand. BullMQ parses a job's `data` as
 * JSON before any processor runs; when that throws, the job stays active until its lock
 * expires, stalls back to the queue and comes round again, for ever. Here such a job is built
 * with a stand-in payload instead (`{ unparseable, error }`), which the processor's schema check
 * refuses with a clear reason, so the job ends once, at once. Both queues use it: the worker's
 * trials (failed as bad-payload) and the scheduler's results (dropped by the recorder).
 */
export class RepairingQueueWorker extends Worker {
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

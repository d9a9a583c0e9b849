import { epochFitness, type CampaignConfig } from '@hyperevolve/contract';
import { trainerProfile } from '@hyperevolve/ga-core';
import type { TrialStore } from '@hyperevolve/trial-store';
import type { WorkerView } from './status-view.js';

/**
 * The workers, each running trial with its latest epoch: e/E and the fitness after it, by the
 * campaign's fitness weights (or the trainer's own fitness). `configs` by campaign name.
 */
export async function withRunningEpochs(workers: readonly WorkerView[], trials: Pick<TrialStore, 'readProgress'>, configs: ReadonlyMap<string, CampaignConfig>): Promise<WorkerView[]> {
  return Promise.all(workers.map(async (worker) => {
    const match = worker.currentTrial === null ? null : /^(.+)\/(\d+)$/.exec(worker.currentTrial);
    const config = match === null ? undefined : configs.get(match[1] ?? '');
    if (match === null || config === undefined) return worker;
    const [progress] = await trials.readProgress(config.name, [Number(match[2])]).catch(() => []);
    if (progress === undefined || progress.epoch === 0) return worker;
    const measured = epochFitness(progress, config.fitnessWeights, trainerProfile(config.adapter).fitnessMetrics);
    return { ...worker, epoch: { done: progress.epoch, of: progress.epochs, fitness: Number.isFinite(measured) ? measured : null } };
  }));
}

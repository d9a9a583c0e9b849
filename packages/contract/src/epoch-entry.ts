import { z } from 'zod';
import { MetricsWireSchema } from './metrics-wire.js';

/**
 * One epoch of one run as the trial's curve list keeps it (`trial:<index>:curve`): what the
 * worker read from the trainer's results.csv or progress file when the epoch ended.
 */
export const EpochEntrySchema = z.object({
  /** The run's name (`<index>-<attempt>`): a retried trial's curve has each run's epochs. */
  run: z.string().min(1),
  /** Epochs done: 1 after the first (results.csv's 0-based epoch + 1). */
  epoch: z.number().int().min(1),
  epochs: z.number().int().min(1).optional(),
  /** Absent when the epoch was not validated (YOLOv5's --noval rows). */
  metrics: MetricsWireSchema.optional(),
  /**
   * The fitness after the epoch, as the worker computed it once (contract's epochFitness: the
   * trainer's own, else the campaign's weights over the metrics); absent when it has none. Epochs
   * recorded by older workers carry only a fitness the trainer reported itself.
   */
  fitness: z.number().refine(Number.isFinite, { message: 'must be a finite number' }).optional(),
  /** When the worker saw it (ms). */
  at: z.number().int(),
});
export type EpochEntry = z.output<typeof EpochEntrySchema>;

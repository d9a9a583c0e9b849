import { z } from 'zod';

/** Why a run failed, as the worker classifies it (trainer-outcome and the run's guards). */
export const FailureKindSchema = z.enum([
  'exit-code',
  'signal',
  'timeout',
  'stalled',
  'results-missing',
  'results-garbled',
  'metrics-nan',
  'spawn-error',
  'command-not-allowed',
  'bad-payload',
  'interrupted',
  /** The trainer tried to reach the network under `worker --offline`. */
  'network-blocked',
]);
export type FailureKind = z.infer<typeof FailureKindSchema>;

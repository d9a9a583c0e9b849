/**
 * How the page writes numbers and times. Durations and significant digits are the CLI's own
 * helpers (`status` prints the same spellings): fitness, metrics and hyps with 5 significant
 * digits everywhere, axes and colour bars included.
 */
import { formatDuration } from '../status/format-duration.js';

export { formatDuration } from '../status/format-duration.js';
export { formatSignificant } from '../status/format-number.js';
export { formatByteSize } from '@hyperevolve/runtime/byte-size';

/** Trials of a few seconds (sim-train, tests) need tenths; long ones read like the other durations. */
export const shortDuration = (ms: number | null): string => (ms === null || !Number.isFinite(ms) ? '-' : ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : formatDuration(ms));

export const campaignUrl = (name: string): string => `/campaigns/${encodeURIComponent(name)}`;

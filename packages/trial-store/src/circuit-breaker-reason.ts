import type { FailureKind } from '@hyperevolve/contract';

/** How every reason of the circuit breaker starts (the notifier and note-failure tell them by it). */
export const BREAKER_PREFIX = 'circuit breaker: ';

/**
 * Why the circuit breaker paused a campaign and what to do about it, as `status` and the
 * dashboard show it: `count` trials failed in a row (`'{n}'` leaves the number to record-result,
 * which alone knows the streak), the last of them with `kind`.
 */
export function circuitBreakerReason(count: number | '{n}', kind: FailureKind | null): string {
  const trials = count === 1 ? '1 trial' : `${count} trials`;
  // A command the workers refuse cannot be fixed in the campaign: the workers' allow-list can.
  const advice = kind === 'command-not-allowed'
    ? 'the workers do not allow the command (command-not-allowed): restart them with --allow-command set to a prefix of it, then scheduler resume'
    : 'read their logs (scheduler status), fix the command, then scheduler resume';
  return `${BREAKER_PREFIX}${trials} failed in a row; ${advice}`;
}

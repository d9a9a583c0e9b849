import type { FailureKind } from '@hyperevolve/contract';

/** What to look at on the workers, by the kind of failure every trial had. */
const CHECK: Partial<Record<FailureKind, string>> = {
  'exit-code': "the trainer's environment on the workers: its Python packages (an ImportError or ModuleNotFoundError names the missing one), the training repository, and the dataset and weights paths in the command",
  'spawn-error': "that the command's program is installed on every worker's PATH, or give its absolute path",
  'results-missing': 'that the trainer writes its results where the adapter reads them (--adapter, --project and --name in the command; a trainer that exits 0 early)',
  'results-garbled': 'that the trainer writes the results file the adapter expects (--adapter; its version)',
  'network-blocked': 'that the datasets and weights the trainer downloads are on the workers beforehand (worker --offline blocks downloads)',
};

/**
 * Why a campaign was paused because `count` trials ('{n}' leaves the number to note-failure) in a row failed the same way (the same
 * failure signature, contract's failureSignature): an environment the next trial would fail in
 * too. Shows the last failure's kind and last lines (`lines`, already printable), what to check
 * and how to continue. Starts like the circuit breaker's reason, so notices and the notifier
 * treat it as one.
 */
export function sameFailureReason(campaign: string, count: number | '{n}', kind: FailureKind, lines: readonly string[]): string {
  const shown = lines.length === 0 ? '' : `:\n${lines.map((line) => `    ${line}`).join('\n')}`;
  const check = CHECK[kind] ?? 'the command and the workers\' environment';
  return `circuit breaker: ${count} trials in a row failed the same way (${kind}), so another trial would too; the last one ended${shown}\n` +
    `  Check ${check}; fix it, then scheduler resume --name ${campaign} (those failures are then cleared from status; their records stay).`;
}

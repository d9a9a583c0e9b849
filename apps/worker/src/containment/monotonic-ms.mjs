// The machine's monotonic clock in ms (CLOCK_MONOTONIC on Linux): the same for every process on
// the machine, so a deadline one process computes means the same instant to another. The
// worker sends the lease watchdog its deadlines on this clock, not as "N ms from now", which a
// loaded machine would stretch by however long the message took to be read.
export function monotonicMs() {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}

/** The machine's monotonic clock in ms, shared by every process on it. */
export function monotonicMs(): number;

/** One run's fitness at a rung, as the campaign stored it: which trial, and its fitness after the rung's epoch. */
export interface RungArrival {
  readonly index: number;
  readonly fitness: number;
}

/**
 * The fitness values trial `index` is judged against at a rung, from the rung's entries as stored
 * (`arrivals`, oldest first; this trial's own entry may be among them).
 *
 * `window` null: every other trial's entry, in any order (the rule before windows). A number: the
 * last `window` other trials that reached the rung before this one did — before this trial's own
 * latest entry, so entries that arrive while it is judged do not move its cut; each trial counts
 * once, by its latest entry (a re-run's entry replaces its earlier one). Without an entry of its
 * own (it was trimmed away), the last `window` entries. Entries that are not finite are skipped.
 */
export function rungPeers(arrivals: readonly RungArrival[], index: number, window: number | null): number[] {
  if (window === null) return arrivals.filter((entry) => entry.index !== index && Number.isFinite(entry.fitness)).map((entry) => entry.fitness);
  let end = arrivals.length;
  for (let i = arrivals.length - 1; i >= 0; i--) {
    if (arrivals[i]?.index === index) {
      end = i;
      break;
    }
  }
  const seen = new Set<number>([index]);
  const peers: number[] = [];
  for (let i = end - 1; i >= 0 && peers.length < window; i--) {
    const entry = arrivals[i];
    if (entry === undefined || seen.has(entry.index)) continue;
    seen.add(entry.index);
    if (Number.isFinite(entry.fitness)) peers.push(entry.fitness);
  }
  return peers;
}

/**
 * How many entries a windowed rung keeps, newest last: the window with room for re-runs' repeated
 * entries and for the entries that arrive while a trial is judged.
 */
export function rungLogLength(window: number): number {
  return 4 * window + 64;
}

import { formatG } from '@hyperevolve/ga-core/format-g';

/**
 * A fitness, metric or hyp as people read it: 5 significant digits, spelled as evolve.csv
 * spells them (`0.071933`, `1e-05`, `1.2346e+05`), never a float's noise
 * (`0.07193260000000001`); `-` for none. `status`, pruned.csv and the dashboard all print
 * numbers through this (the dashboard's bundle imports it: no Node built-ins here).
 */
export function formatSignificant(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return formatG(value, 0, 5);
}

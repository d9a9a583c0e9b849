import { round } from './stats.js';
import { targetMet, type ScenarioResult } from './scenario.js';

function params(result: ScenarioResult): string {
  return Object.entries(result.params).map(([key, value]) => `${key}=${value}`).join(' ');
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
}

/** The table: one row per metric, its target (if any) and PASS/MISS beside it; then the notes. */
export function renderTable(results: readonly ScenarioResult[]): string {
  const header = ['scenario', 'params', 'metric', 'value', 'target', ''];
  const rows: string[][] = [];
  for (const result of results) {
    for (const [metric, value] of Object.entries(result.metrics)) {
      const target = result.targets?.find((t) => t.metric === metric);
      rows.push([
        result.name,
        params(result),
        metric,
        String(round(value)),
        target === undefined ? '' : `${target.op} ${target.bound}`,
        target === undefined ? '' : targetMet(target, value) ? 'PASS' : 'MISS',
      ]);
    }
  }
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const lines = [pad(header, widths), pad(widths.map((w) => '-'.repeat(w)), widths)];
  let last = '';
  for (const row of rows) {
    const key = `${row[0]} ${row[1]}`;
    if (last !== '' && key !== last) lines.push('');
    last = key;
    lines.push(pad(row, widths));
  }
  const notes = new Map<string, string[]>();
  for (const result of results) for (const note of result.notes ?? []) notes.set(note, [...(notes.get(note) ?? []), result.name]);
  if (notes.size > 0) {
    lines.push('', 'How it was measured:');
    for (const note of notes.keys()) lines.push(`- ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

export function toJson(machine: object, results: readonly ScenarioResult[]): object {
  return {
    machine,
    scenarios: results.map((result) => ({
      name: result.name,
      params: result.params,
      metrics: Object.fromEntries(Object.entries(result.metrics).map(([key, value]) => [key, Number.isFinite(value) ? round(value) : null])),
      targets: (result.targets ?? []).map((target) => ({ ...target, met: targetMet(target, result.metrics[target.metric] ?? Number.NaN) })),
    })),
  };
}

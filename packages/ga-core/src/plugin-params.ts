import type { z } from 'zod';
import { GaInputError } from './ga-input-error.js';

/** One param of a plug-in (a prune rule, a trainer profile), as `--help`, the docs and every refusal describe it. */
export interface PluginParamDoc {
  readonly name: string;
  /** What it accepts, with its range: `a number > 1`. */
  readonly takes: string;
  /** The plug-in's default, as text: `3`, `from the epoch count`. */
  readonly default: string;
}

/** `<owner> takes a (what; default d), b (…)`: what every refusal of a plug-in's params ends with. */
export function paramsListing(owner: string, params: readonly PluginParamDoc[]): string {
  if (params.length === 0) return `${owner} takes no params`;
  return `${owner} takes ${params.map((param) => `${param.name} (${param.takes}; default ${param.default})`).join(', ')}`;
}

/**
 * A plug-in's params checked by its own zod schema (a strict object: unknown names refused):
 * the parsed params, or GaInputError `<owner> has no param "x". <listing>` / `<owner>: <what is
 * wrong>. <listing>`, whose `where` is the param at fault.
 */
export function parsePluginParams<T>(schema: z.ZodType<T>, raw: Readonly<Record<string, unknown>>, owner: string, params: readonly PluginParamDoc[]): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const listing = paramsListing(owner, params);
  if (issue?.code === 'unrecognized_keys') {
    throw new GaInputError(`${owner} has no param ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}. ${listing}`, { where: issue.keys[0] ?? '' });
  }
  throw new GaInputError(`${owner}: ${issue?.message ?? parsed.error.message}. ${listing}`, { where: String(issue?.path[0] ?? '') });
}

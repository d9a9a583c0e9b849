import { YAMLException } from 'js-yaml';
import { z } from 'zod';
import { isValidHypName } from '../formats/hyp-name.js';
import { loadYamlDocument } from '../formats/yaml-document.js';
import { GaInputError } from '../ga-input-error.js';

/** How one hyp evolves: `gain` scales its mutation (0 freezes it); values are clamped to [lower, upper]. */
export interface Gene {
  readonly gain: number;
  readonly lower: number;
  readonly upper: number;
  /**
   * The trainer takes this hyp only as a whole number (Ultralytics' `close_mosaic`): every
   * candidate's value is rounded to an integer instead of to 5 decimals. Set by the trainer
   * profile ({@link withIntegerHyps}), not by space files.
   */
  readonly integer?: true;
}

/** hyp name → gene. Key order matters: mutation factors are drawn in this order. */
export type SearchSpace = Readonly<Record<string, Gene>>;

function gene(gain: number, lower: number, upper: number, integer?: true): Gene {
  return Object.freeze(integer === true ? { gain, lower, upper, integer } : { gain, lower, upper });
}

/** YOLOv5 v7.0's `meta` table for detection (train.py), in its order, `anchors` included. */
export const YOLOV5_DETECTION_SPACE: SearchSpace = Object.freeze({
  lr0: gene(1, 1e-5, 1e-1),
  lrf: gene(1, 0.01, 1.0),
  momentum: gene(0.3, 0.6, 0.98),
  weight_decay: gene(1, 0.0, 0.001),
  warmup_epochs: gene(1, 0.0, 5.0),
  warmup_momentum: gene(1, 0.0, 0.95),
  warmup_bias_lr: gene(1, 0.0, 0.2),
  box: gene(1, 0.02, 0.2),
  cls: gene(1, 0.2, 4.0),
  cls_pw: gene(1, 0.5, 2.0),
  obj: gene(1, 0.2, 4.0),
  obj_pw: gene(1, 0.5, 2.0),
  iou_t: gene(0, 0.1, 0.7),
  anchor_t: gene(1, 2.0, 8.0),
  anchors: gene(2, 2.0, 10.0),
  fl_gamma: gene(0, 0.0, 2.0),
  hsv_h: gene(1, 0.0, 0.1),
  hsv_s: gene(1, 0.0, 0.9),
  hsv_v: gene(1, 0.0, 0.9),
  degrees: gene(1, 0.0, 45.0),
  translate: gene(1, 0.0, 0.9),
  scale: gene(1, 0.0, 0.9),
  shear: gene(1, 0.0, 10.0),
  perspective: gene(0, 0.0, 0.001),
  flipud: gene(1, 0.0, 1.0),
  fliplr: gene(0, 0.0, 1.0),
  mosaic: gene(1, 0.0, 1.0),
  mixup: gene(1, 0.0, 1.0),
  copy_paste: gene(1, 0.0, 1.0),
});

const EXAMPLE_ENTRY = '"lr0: [1, 1.0e-5, 0.1]" (gain, lower, upper)';

function describe(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'an empty value';
  if (typeof input === 'string') return `the string ${JSON.stringify(input)}`;
  if (typeof input === 'number') return String(input);
  if (Array.isArray(input)) return `a list of ${input.length} item${input.length === 1 ? '' : 's'}`;
  if (typeof input === 'object') return 'a mapping';
  return `a ${typeof input}`;
}

function finite(field: 'gain' | 'lower' | 'upper'): z.ZodNumber {
  return z.number({ error: (issue) => `${field} must be a finite number, got ${describe(issue.input)}` });
}

const geneFields = { gain: finite('gain'), lower: finite('lower'), upper: finite('upper') };

function checkGene(g: Gene, ctx: z.RefinementCtx): void {
  if (g.gain < 0) {
    ctx.addIssue({ code: 'custom', message: `gain must be ≥ 0 (0 freezes the hyp), got ${g.gain}` });
  }
  if (g.lower > g.upper) {
    ctx.addIssue({
      code: 'custom',
      message: `lower (${g.lower}) is above upper (${g.upper}); swap them`,
    });
  }
}

const geneObjectSchema = z
  .strictObject({ ...geneFields, integer: z.literal(true, { error: 'integer must be true or absent' }).optional() }, { error: (issue) => issue.code === 'unrecognized_keys'
    ? `unexpected field(s) ${issue.keys.join(', ')}; a gene has only gain, lower, upper and integer`
    : `must be a gene { gain, lower, upper[, integer] }, got ${describe(issue.input)}` })
  .superRefine(checkGene);

const geneTupleSchema = z
  .tuple([geneFields.gain, geneFields.lower, geneFields.upper], {
    error: (issue) => Array.isArray(issue.input)
      ? `must be exactly 3 numbers [gain, lower, upper] like ${EXAMPLE_ENTRY}, got ${describe(issue.input)}`
      : `must be a list [gain, lower, upper] like ${EXAMPLE_ENTRY}, got ${describe(issue.input)}`,
  })
  .transform(([gain, lower, upper]): Gene => ({ gain, lower, upper }))
  .superRefine(checkGene);

function spaceSchema(geneSchema: z.ZodType<Gene, unknown>): z.ZodType<Record<string, Gene>, unknown> {
  return z
    .record(z.string(), geneSchema, {
      error: (issue) =>
        `expected a mapping of hyp name → ${EXAMPLE_ENTRY}, got ${describe(issue.input)}`,
    })
    .superRefine((space, ctx) => {
      const names = Object.keys(space);
      for (const name of names) {
        // Hyp names become evolve.csv columns and YAML keys; one rule for both (formats/).
        if (!isValidHypName(name)) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message:
              'name must start with a letter or _, contain only letters, digits, _, . or -, and not be a YAML 1.1 keyword like yes/no/on/off/true/false/null (it becomes an evolve.csv column and a YAML key)',
          });
        }
      }
      if (names.length === 0) {
        ctx.addIssue({ code: 'custom', message: `the search space lists no hyps; expected entries like ${EXAMPLE_ENTRY}` });
      } else if (!names.some((name) => (space[name]?.gain ?? 0) > 0)) {
        ctx.addIssue({
          code: 'custom',
          message: "every hyp has gain 0: YOLOv5's mutate loop would spin forever; give at least one hyp a gain > 0",
        });
      }
    });
}

const yamlSpaceSchema = spaceSchema(geneTupleSchema);
const objectSpaceSchema = spaceSchema(geneObjectSchema);

function compile(schema: z.ZodType<Record<string, Gene>, unknown>, input: unknown, where: string): SearchSpace {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const [name] = issue.path;
      return name === undefined ? issue.message : `hyp ${JSON.stringify(String(name))}: ${issue.message}`;
    });
    const list = problems.length === 1 ? ` ${problems[0] ?? ''}` : `\n  - ${problems.join('\n  - ')}`;
    throw new GaInputError(`Invalid search space in ${where}:${list}`, { where });
  }
  // A fresh frozen copy in the input's key order, so later mutation of the input cannot leak in.
  return Object.freeze(
    Object.fromEntries(
      Object.entries(result.data).map(([name, g]) => [name, gene(g.gain, g.lower, g.upper, g.integer)]),
    ),
  );
}

/**
 * Parses a YOLOv5-style search space file: one `hyp: [gain, lower, upper]` entry per line, in
 * the order mutation factors should be drawn. Throws {@link GaInputError} naming the hyp and
 * the fix for every problem found.
 */
export function parseSearchSpace(yamlText: string, source = 'search space'): SearchSpace {
  let document: unknown;
  try {
    document = loadYamlDocument(yamlText, { filename: source });
  } catch (error) {
    if (error instanceof YAMLException) {
      // js-yaml 5 leaves mark out when it has no position to give.
      const mark = error.mark;
      const at = mark === undefined ? '' : ` at line ${mark.line + 1}, column ${mark.column + 1}`;
      throw new GaInputError(
        `Invalid YAML in search space ${source}${at}: ${error.reason}. Each entry should look like ${EXAMPLE_ENTRY}`,
        { where: mark === undefined ? source : `${source}:${mark.line + 1}`, cause: error },
      );
    }
    throw error;
  }
  return compile(yamlSpaceSchema, document, source);
}

/** The checks of {@link parseSearchSpace} on an object, e.g. a space built in code or read from Redis. */
export function validateSearchSpace(space: SearchSpace, source = 'search space'): SearchSpace {
  return compile(objectSpaceSchema, space, source);
}

/**
 * The space with `integer` set on the genes of `names` (a trainer's whole-number hyps), key
 * order kept; names outside the space are ignored. Throws {@link GaInputError} when such a
 * gene's bounds hold no integer.
 */
export function withIntegerHyps(space: SearchSpace, names: readonly string[]): SearchSpace {
  if (!names.some((name) => Object.hasOwn(space, name))) return space;
  return Object.freeze(
    Object.fromEntries(
      Object.entries(space).map(([name, g]) => {
        if (!names.includes(name)) return [name, g];
        if (Math.ceil(g.lower) > Math.floor(g.upper)) {
          throw new GaInputError(`hyp ${JSON.stringify(name)} takes whole numbers only, but its range [${g.lower}, ${g.upper}] holds none; widen it`, { where: `search space ${name}` });
        }
        return [name, gene(g.gain, g.lower, g.upper, true)];
      }),
    ),
  );
}

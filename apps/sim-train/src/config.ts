import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { PROGRESS_FILE_ENV, defaultRungs } from '@hyperevolve/ga-core';
import { FAIL_MODE_HELP, parseFailMode, type FailMode } from './fail-mode.js';
import { UsageError } from './usage-error.js';
import { WEIGHTS_BYTES } from './run-artifacts.js';

/** A sim-train run, compiled from its flags: defaults filled, every value checked. */
export interface SimTrainConfig {
  readonly hyp: string;
  readonly device: string;
  readonly project: string;
  readonly name: string;
  readonly existOk: boolean;
  readonly noval: boolean;
  readonly epochs: number;
  readonly durationMs: number;
  readonly seed: number;
  readonly noise: number;
  /** undefined: never fail. */
  readonly fail: FailMode | undefined;
  readonly failRate: number;
  /** Spearman correlation between the fitness at `firstRung` and the final one (learning-curve.ts). */
  readonly rankCorrelation: number;
  /** Epochs done at the first rung. */
  readonly firstRung: number;
  /** $HYPEREVOLVE_PROGRESS_FILE: append one JSON line per epoch there; undefined: none. */
  readonly progressFile: string | undefined;
  /** False with --noplots: no results.png or labels.jpg. */
  readonly plots: boolean;
  /** --plant-link: links out of the run directory to this file and its folder; undefined: none. */
  readonly plantLink: string | undefined;
}

/** --rank-correlation when none is given: early epochs tell the good runs from the bad, not perfectly. */
const DEFAULT_RANK_CORRELATION = 0.8;

// train.py flags users put in their command; accepted so the same command line works with
// sim-train, and otherwise ignored.
const IGNORED_WITH_VALUE = ['data', 'weights', 'cfg', 'img', 'imgsz', 'img-size', 'batch-size', 'batch', 'workers', 'optimizer', 'cache', 'patience', 'freeze', 'save-period', 'label-smoothing'] as const;
const IGNORED_SWITCHES = ['rect', 'single-cls', 'sync-bn', 'cos-lr', 'quad', 'multi-scale', 'image-weights', 'noautoanchor'] as const;
/** Flags whose value is optional in train.py (`--cache` alone means `--cache ram`). */
const OPTIONAL_VALUE: Readonly<Record<string, string>> = { '--cache': 'ram' };

const options = {
  hyp: { type: 'string' },
  device: { type: 'string', default: '' },
  project: { type: 'string', default: 'runs/train' },
  name: { type: 'string', default: 'exp' },
  'exist-ok': { type: 'boolean', default: false },
  noval: { type: 'boolean', default: false },
  nosave: { type: 'boolean', default: false },
  noplots: { type: 'boolean', default: false },
  'plant-link': { type: 'string' },
  epochs: { type: 'string', default: '3' },
  'duration-ms': { type: 'string', default: '0' },
  seed: { type: 'string', default: '0' },
  noise: { type: 'string', default: '0.01' },
  fail: { type: 'string' },
  'fail-rate': { type: 'string' },
  'rank-correlation': { type: 'string' },
  'first-rung': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  ...Object.fromEntries(IGNORED_WITH_VALUE.map((flag) => [flag, { type: 'string' as const }])),
  ...Object.fromEntries(IGNORED_SWITCHES.map((flag) => [flag, { type: 'boolean' as const }])),
} satisfies NonNullable<ParseArgsConfig['options']>;

const number = (flag: string, check: (n: number) => boolean, expected: string) =>
  z
    .string()
    .trim()
    .refine((text) => text !== '' && Number.isFinite(Number(text)) && check(Number(text)), {
      error: (issue) => `--${flag} must be ${expected}, got ${JSON.stringify(issue.input)}`,
    })
    .transform(Number);

const flagsSchema = z.object({
  hyp: z.string({ error: '--hyp FILE is required: the hyp yaml to train with (YOLOv5 --hyp)' }).min(1, '--hyp must name a file'),
  device: z
    .string()
    .regex(/^(?:cpu|mps|\d+(?:,\d+)*|)$/, { error: (issue) => `--device must be cpu, mps or GPU indices like 0 or 0,1, got ${JSON.stringify(issue.input)}` }),
  project: z.string().min(1, '--project must name a directory'),
  name: z.string().regex(/^[^/\\]+$/, { error: '--name must be one path segment (no slashes), like exp or trial-17-a1' }),
  'exist-ok': z.boolean(),
  noval: z.boolean(),
  noplots: z.boolean(),
  'plant-link': z.string().min(1, '--plant-link must name a file').optional(),
  epochs: number('epochs', (n) => Number.isInteger(n) && n >= 1 && n <= 10_000, 'a whole number from 1 to 10000'),
  'duration-ms': number('duration-ms', (n) => n >= 0, 'a number of milliseconds ≥ 0'),
  seed: number('seed', Number.isSafeInteger, 'a whole number'),
  noise: number('noise', (n) => n >= 0 && n <= 1, 'a standard deviation from 0 to 1'),
  fail: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const mode = parseFailMode(text);
      if (typeof mode === 'string') {
        ctx.addIssue({ code: 'custom', message: `--fail: ${mode}; expected one of ${FAIL_MODE_HELP}` });
        return z.NEVER;
      }
      return mode;
    }),
  'fail-rate': number('fail-rate', (n) => n >= 0 && n <= 1, 'a probability from 0 to 1').optional(),
  'rank-correlation': number('rank-correlation', (n) => n > 0 && n <= 1, 'a rank correlation above 0 and at most 1 (1: early epochs rank runs exactly as the last)').optional(),
  'first-rung': number('first-rung', (n) => Number.isInteger(n) && n >= 1, 'a whole number of epochs ≥ 1').optional(),
});

/** `help: true` when the user asked for `--help`; otherwise the compiled config. */
export function parseSimTrainArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): { help: true } | { help: false; config: SimTrainConfig } {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: withOptionalValues(argv), options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (values.help === true) return { help: true };

  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '), { cause: parsed.error });
  }
  const flags = parsed.data;
  return {
    help: false,
    config: {
      hyp: flags.hyp,
      device: flags.device,
      project: flags.project,
      name: flags.name,
      existOk: flags['exist-ok'],
      noval: flags.noval,
      epochs: flags.epochs,
      durationMs: flags['duration-ms'],
      seed: flags.seed,
      noise: flags.noise,
      // --fail alone always fails; --fail-rate alone fails in a random way.
      fail: flags.fail ?? (flags['fail-rate'] === undefined ? undefined : { kind: 'random' }),
      failRate: flags['fail-rate'] ?? (flags.fail === undefined ? 0 : 1),
      rankCorrelation: flags['rank-correlation'] ?? DEFAULT_RANK_CORRELATION,
      // The scheduler's default first rung for this many epochs, so the correlation holds where it prunes.
      firstRung: flags['first-rung'] ?? defaultRungs(flags.epochs)[0] ?? 1,
      progressFile: env[PROGRESS_FILE_ENV] === '' ? undefined : env[PROGRESS_FILE_ENV],
      plots: !flags.noplots,
      plantLink: flags['plant-link'],
    },
  };
}

/**
 * Brings argv to what parseArgs reads the way Python's argparse would: a bare `--cache` gets
 * its default value, and a negative number after a flag is that flag's value (`--seed -1`).
 */
function withOptionalValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    const fallback = OPTIONAL_VALUE[arg];
    const takesValue = arg.startsWith('--') && (options as Record<string, { type: string }>)[arg.slice(2)]?.type === 'string';
    if (fallback !== undefined && (next === undefined || next.startsWith('-'))) {
      out.push(`${arg}=${fallback}`);
    } else if (takesValue && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export const HELP = `Usage: sim-train --hyp FILE [--project DIR] [--name NAME] [--exist-ok] [options]

A stand-in for YOLOv5's train.py: trains nothing, but reads the hyp file, writes
<project>/<name>/results.csv exactly as YOLOv5 does (one row per epoch, appended), and
reports metrics from a smooth landscape over the hyps (see src/landscape.ts).

train.py flags it honours:
  --hyp FILE            hyp yaml (required)
  --project DIR         default runs/train
  --name NAME           run directory name; default exp (exp2, exp3, … unless --exist-ok)
  --exist-ok            reuse <project>/<name>; results.csv is appended to, like YOLOv5
  --noval               zero metrics on every epoch but the last
  --epochs N            rows to write, one per epoch; default 3
  --device D            cpu, mps, 0 or 0,1 (only printed)
  --noplots             no results.png or labels.jpg
  --nosave and ${[...IGNORED_WITH_VALUE, ...IGNORED_SWITCHES].map((flag) => `--${flag}`).join(', ')}
                        accepted and ignored

Like YOLOv5 (even with --nosave, which only skips the epochs before the last), a run that
ends well leaves weights/last.pt and weights/best.pt (${WEIGHTS_BYTES / 1024} KiB each of filler) and, without
--noplots, results.png and labels.jpg.

Simulation flags:
  --duration-ms MS      wall time of the whole run, spread over the epochs; default 0
  --seed S              noise seed; default 0
  --noise SIGMA         noise on the quality (std dev); default 0.01
  --fail MODE           fail on purpose, halfway through: ${FAIL_MODE_HELP}
                        (random: one of the modes that end by themselves)
  --fail-rate P         fail with probability P, decided by seed and --name; default 1
                        with --fail, and --fail random when given alone; below 1 each
                        such chance failure ends in a log line of its own words
  --rank-correlation R  Spearman correlation between the fitness after --first-rung
                        epochs and the final fitness, over runs spread like a campaign's;
                        in (0, 1], default ${DEFAULT_RANK_CORRELATION} (1: curves never cross)
  --first-rung K        epochs done where that correlation holds; default the scheduler's
                        first default rung for --epochs (1 for 10 epochs)
  --plant-link FILE     also leave links out of the run directory, as a careless trainer
                        might: weights/outside.pt to FILE and outside-dir to its folder
  -h, --help            this text

Environment:
  ${PROGRESS_FILE_ENV}  when set, also append one JSON line per epoch to this file
                        (hyperevolve's progress-file contract: epoch, epochs, metrics)

Exit codes: 0 done, 1 the run failed (bad hyp file, ...), 2 bad flags, or as --fail says.
`;

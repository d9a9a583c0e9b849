import { readFileSync } from 'node:fs';
import type { RedisClient } from '@hyperevolve/runtime';

const SCRIPT = readFileSync(new URL('./start-trial-1.lua', import.meta.url), 'utf8');
const COMMAND = 'hyperevolveStartTrial';

export interface StartTrialFields {
  attempt: number;
  runName: string;
  worker: string;
  host: string;
  device: string;
  startedAt: number;
  trialDir: string;
  logPath: string;
  command: readonly string[];
}

export type StartTrialOutcome =
  | { readonly marked: true }
  | { readonly marked: false; readonly reason: string };

type StartTrialCommand = (trialKey: string, ...args: string[]) => Promise<[number, string | null]>;

/** start-trial-1.lua on a connection: marks a trial running unless it is finished, cancelled or gone. */
export class StartTrial {
  readonly #redis: RedisClient;

  constructor(redis: RedisClient) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SCRIPT });
    this.#redis = redis;
  }

  async run(trialKey: string, fields: StartTrialFields): Promise<StartTrialOutcome> {
    const command = (this.#redis as unknown as Record<string, StartTrialCommand>)[COMMAND];
    if (command === undefined) throw new Error(`${COMMAND} is not defined on this Redis connection`);
    const [code, status] = await command.call(this.#redis, trialKey,
      String(fields.attempt), fields.runName, fields.worker, fields.host, fields.device,
      String(fields.startedAt), fields.trialDir, fields.logPath, JSON.stringify(fields.command));
    return CODES[code]?.(status) ?? { marked: false, reason: `start-trial-1.lua returned unknown code ${code}` };
  }
}

const CODES: Record<number, (status: string | null) => StartTrialOutcome> = {
  1: () => ({ marked: true }),
  [-1]: () => ({ marked: false, reason: 'the trial hash does not exist (the campaign was deleted, or the prefix differs from the scheduler\'s)' }),
  [-2]: (status) => ({ marked: false, reason: `the trial is already ${status === '' || status === null ? 'in an unknown state' : status}` }),
};

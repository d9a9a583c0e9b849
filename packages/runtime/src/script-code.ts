/**
 * What a Lua script answers, for every script: each reply is `{ code, …values }` and each code
 * means the same in every script (BullMQ keeps one such table for its scripts). A script's
 * header lists the codes it returns and what follows them; its wrapper ({@link RedisScript})
 * declares the same codes and refuses any other. Non-negative codes are outcomes; negative
 * codes are refusals, where nothing changed.
 */
export const ScriptCode = {
  /** The change was made: issued, started, recorded, released, extended, moved. */
  Done: 1,
  /** An attempt's failure was noted; the trial waits for its next attempt (record-result). */
  Noted: 2,
  /** A lapsed lease was taken again by its holder (runtime's renew-held, for a GPU lease). */
  Retaken: 3,
  /** There was nothing to act on: no lease to release. */
  Absent: 0,
  /** The key the script works on does not exist (a campaign, a trial). */
  Missing: -1,
  /** Its status does not allow the change; the status follows the code. */
  WrongStatus: -2,
  /** The campaign's budget is taken by recorded and in-flight trials. */
  BudgetFull: -3,
  /** Another replica issued that index first: breed again from a fresh snapshot. */
  StaleIndex: -4,
  /** A trial with the same hyps was issued already. */
  Duplicate: -5,
  /** The trial is final already (succeeded, failed, surplus or cancelled). */
  AlreadyFinal: -6,
  /** The budget was full when the result came: the trial is kept aside as surplus. */
  Surplus: -7,
  /** The lock or lease is not this holder's (another's, whose id may follow, or gone). */
  NotHolder: -8,
  /** A worker's own recording while no scheduler serves the campaign: nothing changed (record-result). */
  Unserved: -9,
} as const;

export type ScriptCodeName = keyof typeof ScriptCode;

const NAMES = new Map<number, ScriptCodeName>(Object.entries(ScriptCode).map(([name, code]) => [code, name as ScriptCodeName]));

/** The name of a code, or undefined for a number that is no code. */
export function scriptCodeName(code: number): ScriptCodeName | undefined {
  return NAMES.get(code);
}

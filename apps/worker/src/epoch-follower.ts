import { TRAINER_LIMITS, type TrainerLimits } from '@hyperevolve/contract';
import { dirname } from 'node:path';
import { openUntrusted } from '@hyperevolve/runtime';
import type { EpochLine, EpochLineReader, EpochReading } from '@hyperevolve/ga-core';
import { findRunFile } from './run-file.js';

/**
 * What went wrong with the trainer's file: `line` a line no reader understands, `record` an epoch
 * onEpoch could not take, `limit` a line past one of the bounds (skipped), `stopped` the file is
 * no longer followed (past the epoch bound, or not a regular file).
 */
export type EpochProblemKind = 'line' | 'record' | 'limit' | 'stopped';

export interface EpochFollowerOptions {
  /** The profile's path of the log: a `*` in it is looked up on every read (findRunFile), the newest match followed. */
  path: string;
  /** The run's directory, which `path` lies in; default: the path's own folder. */
  trialDir?: string;
  lines: EpochLineReader;
  /** Each new epoch, in order, each once (a rewritten file's old epochs are not reported again). */
  onEpoch: (reading: EpochReading) => Promise<void>;
  /** A line that is no epoch the reader understands, an epoch onEpoch could not take, a bound: to log; the line is skipped. */
  onProblem: (problem: string, kind: EpochProblemKind) => void;
  /** How often the file is read; default 500 ms (an epoch is recorded within a second of its row). */
  intervalMs?: number;
  /** Default {@link TRAINER_LIMITS}; tests pass smaller ones. */
  limits?: Pick<TrainerLimits, 'lineBytes' | 'epochsPerRun' | 'metricsPerEpoch' | 'readBytesPerPoll'>;
}

const NEWLINE = 0x0a;
/** At most this many reads of `readBytesPerPoll` at the stop: 64 MiB with the default bounds. */
const FINAL_READS = 64;

/**
 * Follows a trainer's per-epoch file while it runs: reads what was appended since the last look,
 * hands each complete line to the reader and each new epoch to onEpoch. Never throws and never
 * blocks: a missing file is waited for, a partial last line waits for its newline, a file that
 * shrank (rewritten) is read again from its start, a bad line is reported and skipped. What the
 * trainer writes is bounded ({@link TRAINER_LIMITS}): at most `readBytesPerPoll` per look, a line
 * longer than `lineBytes` is dropped as it streams by, and a path that is not a regular file (a
 * FIFO, a link) or an epoch past `epochsPerRun` ends the following.
 */
export class EpochFollower {
  readonly #options: EpochFollowerOptions;
  readonly #limits: NonNullable<EpochFollowerOptions['limits']>;
  #offset = 0;
  /** The start of a line whose newline is not read yet. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Inside a line longer than the bound: its bytes are dropped up to its newline. */
  #skipping = false;
  #lastEpoch = 0;
  #timer: NodeJS.Timeout | undefined;
  #reading: Promise<unknown> = Promise.resolve();
  #stopped = false;
  /** The file followed: the path itself, or the match of its `*` last read. */
  #following: string | undefined;
  /** Why the file is no longer followed. */
  #ended: string | undefined;

  constructor(options: EpochFollowerOptions) {
    this.#options = options;
    this.#limits = options.limits ?? TRAINER_LIMITS;
  }

  /** The highest epoch reported so far (0 before the first). */
  get lastEpoch(): number {
    return this.#lastEpoch;
  }

  /**
   * The first look is one interval after the start, not at once: a trainer has written no epoch
   * yet when it starts, and a run shorter than the interval is read only by the stop.
   */
  start(): void {
    const intervalMs = this.#options.intervalMs ?? 500;
    const tick = (): void => {
      this.#reading = this.#readNew().finally(() => {
        if (!this.#stopped && this.#ended === undefined) this.#timer = setTimeout(tick, intervalMs);
      });
    };
    this.#timer = setTimeout(tick, intervalMs);
  }

  /**
   * Stops following after reading what is left, so the epochs written just before the trainer
   * exited are reported: up to FINAL_READS bounded reads (more than one when the trainer wrote
   * more than `readBytesPerPoll` since the last look), its unterminated last line taken only once
   * the end of the file is reached.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#reading;
    for (let read = 0; read < FINAL_READS; read++) if (!(await this.#readNew(true))) break;
  }

  /**
   * Stops following at once, without the last reads: for a run whose epochs are no longer wanted.
   * A read under way may still wait on Redis; its outcome is dropped.
   */
  abandon(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    void this.#reading.catch(() => undefined);
  }

  /** The file is read again from its start: what earlier lines said is forgotten (epochs already reported are not reported again). */
  #restart(): void {
    this.#offset = 0;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#skipping = false;
    this.#options.lines.reset();
  }

  #end(why: string): void {
    this.#ended = why;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#options.onProblem(why, 'stopped');
  }

  /** Reads the next piece; true when the file holds more past it (`final`: the stop's reads). */
  async #readNew(final = false): Promise<boolean> {
    if (this.#ended !== undefined) return false;
    let chunk: Buffer;
    let atEnd: boolean;
    try {
      const found = await findRunFile(this.#options.path, this.#options.trialDir ?? dirname(this.#options.path));
      if (found.kind === 'refused') {
        this.#end(`${found.why}: the worker no longer follows ${this.#options.path} (the run goes on; its epochs are not recorded)`);
        return false;
      }
      if (found.kind === 'missing') return false; // not written yet, or gone: nothing to report
      // A newer match (the trainer started again in a new folder) is a file rewritten from its start.
      if (found.path !== this.#following) this.#restart();
      this.#following = found.path;
      const opened = await openUntrusted(found.path);
      if (opened.kind === 'missing') return false;
      if (opened.kind === 'refused') {
        this.#end(`${found.path} is ${opened.why}, not a regular file: the worker no longer follows it (the run goes on; its epochs are not recorded)`);
        return false;
      }
      const { handle, size } = opened.file;
      try {
        if (size < this.#offset) this.#restart();
        if (size === this.#offset && !final) return false;
        // A sparse or runaway file is read a bounded piece at a time, never all at once.
        const buffer = Buffer.alloc(Math.min(size - this.#offset, this.#limits.readBytesPerPoll));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.#offset);
        this.#offset += bytesRead;
        chunk = buffer.subarray(0, bytesRead);
        atEnd = bytesRead === 0 || this.#offset >= size;
      } finally {
        await handle.close();
      }
    } catch {
      return false; // vanished or unreadable between open and read: looked at again next time
    }
    // Only at the file's end is an unterminated line the trainer's last; before, it goes on in the next piece.
    for (const line of this.#lines(chunk, final && atEnd)) {
      if (this.#ended !== undefined) return false;
      await this.#take(line);
    }
    return !atEnd;
  }

  /** The complete lines of what was read, with the partial last line kept for the next read. */
  #lines(chunk: Buffer, final: boolean): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline >= 0; newline = chunk.indexOf(NEWLINE, start)) {
      const line = this.#append(chunk.subarray(start, newline));
      if (line !== undefined) lines.push(line);
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#skipping = false;
      start = newline + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      this.#append(rest, false);
      // Copied: a slice would keep the whole read buffer alive.
      if (!this.#skipping) this.#pending.push(Buffer.from(rest));
    }
    // A trainer that exited without a final newline still finished its last line.
    if (final && this.#pendingBytes > 0 && !this.#skipping) lines.push(Buffer.concat(this.#pending).toString('utf8'));
    return lines;
  }

  /**
   * Adds a piece of the current line: with `complete`, the line's text (undefined when it was too
   * long); without, nothing, but the line starts being skipped once it passes the bound.
   */
  #append(piece: Buffer, complete = true): string | undefined {
    if (this.#skipping) return undefined;
    const bytes = this.#pendingBytes + piece.length;
    if (bytes > this.#limits.lineBytes) {
      this.#skipping = true;
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#options.onProblem(`a line longer than ${this.#limits.lineBytes} bytes was skipped (no trainer writes such an epoch line)`, 'limit');
      return undefined;
    }
    if (!complete) {
      this.#pendingBytes = bytes;
      return undefined;
    }
    return Buffer.concat([...this.#pending, piece]).toString('utf8');
  }

  async #take(line: string): Promise<void> {
    const reading = this.#read(line);
    if (reading === null) return;
    if ('problem' in reading) {
      this.#options.onProblem(reading.problem, 'line');
      return;
    }
    if (reading.epoch > this.#limits.epochsPerRun) {
      this.#end(`epoch ${reading.epoch} is past the ${this.#limits.epochsPerRun} epochs a run may report: the worker no longer follows ${this.#options.path} (the run goes on; later epochs are not recorded)`);
      return;
    }
    if (reading.epoch <= this.#lastEpoch) return;
    const metrics = reading.metrics === undefined ? 0 : Object.keys(reading.metrics).length;
    if (metrics > this.#limits.metricsPerEpoch) {
      this.#options.onProblem(`epoch ${reading.epoch} has ${metrics} metrics, more than the ${this.#limits.metricsPerEpoch} an epoch may report: skipped`, 'limit');
      return;
    }
    this.#lastEpoch = reading.epoch;
    try {
      await this.#options.onEpoch(reading);
    } catch (error) {
      this.#options.onProblem(`epoch ${reading.epoch} was not recorded: ${error instanceof Error ? error.message : String(error)}`, 'record');
    }
  }

  /**
   * The profile's reader on one line, held to its contract: a reader that throws, or reports an
   * epoch that is not a whole number from 1, gives a problem (the line is skipped), never an
   * exception out of the follower.
   */
  #read(line: string): EpochLine {
    let reading: EpochLine;
    try {
      reading = this.#options.lines.read(line);
    } catch (error) {
      return { problem: `the reader failed on ${JSON.stringify(line.slice(0, 80))}: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (reading === null || 'problem' in reading) return reading;
    return Number.isInteger(reading.epoch) && reading.epoch >= 1 ? reading : { problem: `an epoch of ${String(reading.epoch)}, not a whole number from 1: ${JSON.stringify(line.slice(0, 80))}` };
  }
}

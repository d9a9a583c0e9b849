import { open } from 'node:fs/promises';
import type { EpochLineReader, EpochReading } from './epoch-lines.js';

export interface EpochFollowerOptions {
  path: string;
  lines: EpochLineReader;
  /** Each new epoch, in order, each once (a rewritten file's old epochs are not reported again). */
  onEpoch: (reading: EpochReading) => Promise<void>;
  /** A line that is no epoch the reader understands, or an epoch onEpoch could not take: logged, skipped. */
  onProblem: (problem: string) => void;
  /** How often the file is read; default 500 ms (an epoch is recorded within a second of its row). */
  intervalMs?: number;
}

/**
 * Follows a trainer's per-epoch file while it runs: reads what was appended since the last look,
 * hands each complete line to the reader and each new epoch to onEpoch. Never throws: a missing
 * file is waited for, a partial last line waits for its newline, a file that shrank (rewritten)
 * is read again from its start, a bad line is reported and skipped.
 */
export class EpochFollower {
  readonly #options: EpochFollowerOptions;
  #offset = 0;
  #pending = '';
  #lastEpoch = 0;
  #timer: NodeJS.Timeout | undefined;
  #reading: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: EpochFollowerOptions) {
    this.#options = options;
  }

  /** The highest epoch reported so far (0 before the first). */
  get lastEpoch(): number {
    return this.#lastEpoch;
  }

  start(): void {
    const tick = (): void => {
      this.#reading = this.#readNew().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(tick, this.#options.intervalMs ?? 500);
      });
    };
    this.#timer = setTimeout(tick, 0);
  }

  /** Stops following after one last read, so the epochs written just before the trainer exited are reported. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#reading;
    await this.#readNew(true);
  }

  async #readNew(final = false): Promise<void> {
    let chunk: string;
    try {
      const file = await open(this.#options.path, 'r');
      try {
        const { size } = await file.stat();
        if (size < this.#offset) {
          this.#offset = 0;
          this.#pending = '';
          this.#options.lines.reset();
        }
        if (size === this.#offset && !final) return;
        const buffer = Buffer.alloc(size - this.#offset);
        const { bytesRead } = await file.read(buffer, 0, buffer.length, this.#offset);
        this.#offset += bytesRead;
        chunk = buffer.subarray(0, bytesRead).toString('utf8');
      } finally {
        await file.close();
      }
    } catch {
      return; // not written yet, or gone: nothing to report
    }
    const lines = (this.#pending + chunk).split('\n');
    this.#pending = lines.pop() ?? '';
    // A trainer that exited without a final newline still finished its last line.
    if (final && this.#pending !== '') lines.push(this.#pending);
    for (const line of lines) {
      const reading = this.#options.lines.read(line);
      if (reading === null) continue;
      if ('problem' in reading) {
        this.#options.onProblem(reading.problem);
        continue;
      }
      if (reading.epoch <= this.#lastEpoch) continue;
      this.#lastEpoch = reading.epoch;
      try {
        await this.#options.onEpoch(reading);
      } catch (error) {
        this.#options.onProblem(`epoch ${reading.epoch} was not recorded: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

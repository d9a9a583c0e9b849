import { close, closeSync, constants, fstatSync, ftruncate, openSync, read, write } from 'node:fs';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';

const writeAt = promisify(write);
const readAt = promisify(read);
const truncateTo = promisify(ftruncate);
const closeFd = promisify(close);

// Created or emptied by the worker before the trainer starts, and never through a link: the
// trainer may replace the path later, but the worker writes on to the file it opened.
const LOG_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Opens a run's log for {@link CappedLog}, before its trainer starts: a symbolic link fails
 * (ELOOP) and anything but a regular file (a FIFO opens without blocking) is refused, instead of
 * truncating or blocking on what it points at.
 */
export function openRunLog(path: string): number {
  const fd = openSync(path, LOG_FLAGS, 0o644);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new Error(`${path} is not a regular file; the worker writes a trainer's log only into a file of its own`);
  }
  return fd;
}

/** `64M`-style, for the note in the log. */
function sizeText(bytes: number): string {
  for (const [unit, size] of [['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes} bytes`;
}

/**
 * A trainer's train.log, kept within `capBytes`: the first half of the cap as written, then
 * a note of how much was left out, then the latest output (the second half). A trainer that
 * floods its output cannot fill the disk, and the start (its configuration) and the end (the
 * traceback) stay. The file is live: it grows as the trainer writes, and once past the cap
 * plus half of it, the middle is cut again (each byte is moved at most once per half-cap of
 * new output). `capBytes` 0 keeps everything.
 */
export class CappedLog extends Writable {
  readonly #fd: number;
  readonly #cap: number;
  readonly #head: number;
  readonly #tail: number;
  #closed = false;
  #size = 0;
  /** Length of the note in the file now (0 before the first cut). */
  #note = 0;
  #dropped = 0;
  #failed = false;

  /** `fd`: from {@link openRunLog}, empty; the log owns it from here and closes it once finished. */
  constructor(fd: number, capBytes: number) {
    super({ highWaterMark: 1 << 20 });
    this.#fd = fd;
    this.#cap = capBytes;
    this.#head = Math.floor(capBytes / 2);
    this.#tail = capBytes - this.#head;
  }

  /** Bytes of output left out so far. */
  get dropped(): number {
    return this.#dropped;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#append(chunk).then(() => callback(), (error: unknown) => {
      // A full or failing disk must not stall the trainer on a full pipe: output is dropped.
      this.#failed = true;
      callback();
      this.emit('write-error', error);
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    const finish = async (): Promise<void> => {
      try {
        if (this.#cap > 0 && !this.#failed && this.#size > this.#head + this.#note + this.#tail) await this.#cut();
      } finally {
        await this.#close();
      }
    };
    finish().then(() => callback(), (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#close().then(() => callback(error), () => callback(error));
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeFd(this.#fd);
  }

  async #append(chunk: Buffer): Promise<void> {
    if (this.#failed) return;
    await writeAt(this.#fd, chunk, 0, chunk.length, this.#size);
    this.#size += chunk.length;
    if (this.#cap > 0 && this.#size > this.#head + this.#note + 2 * this.#tail) await this.#cut();
  }

  /** Keeps the head and the last `tail` bytes, with a note between them of what was left out. */
  async #cut(): Promise<void> {
    const keep = Buffer.alloc(this.#tail);
    await readAt(this.#fd, keep, 0, this.#tail, this.#size - this.#tail);
    this.#dropped += this.#size - this.#head - this.#note - this.#tail;
    const note = Buffer.from(`\n[… ${this.#dropped} bytes of output left out here: train.log keeps its first ${sizeText(this.#head)} and its last ${sizeText(this.#tail)} (worker --log-cap ${sizeText(this.#cap)}) …]\n`);
    await writeAt(this.#fd, note, 0, note.length, this.#head);
    await writeAt(this.#fd, keep, 0, keep.length, this.#head + note.length);
    this.#note = note.length;
    this.#size = this.#head + note.length + this.#tail;
    await truncateTo(this.#fd, this.#size);
  }
}

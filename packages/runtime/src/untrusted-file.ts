import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** A file another program controls, opened for reading: its handle and its size when opened. */
export interface UntrustedFile {
  readonly handle: FileHandle;
  readonly size: number;
}

export type OpenedUntrusted =
  | { readonly kind: 'file'; readonly file: UntrustedFile }
  | { readonly kind: 'missing' }
  /** Not a plain file of its own: `why` says what it is, for the warning. */
  | { readonly kind: 'refused'; readonly why: string };

// O_NONBLOCK: a FIFO opens at once instead of waiting for a writer (a blocked open holds one of
// libuv's four threads for good, and every file operation of the process queues behind it).
// O_NOFOLLOW: a symbolic link in the last component fails (ELOOP) instead of being followed.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** What a stat says a non-regular path is, in words. */
function kindOf(stats: { isFIFO(): boolean; isDirectory(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Opens a file that a trainer controls (its log, progress or results file) for reading, only
 * when it is a regular file with one name: never blocks (a FIFO is refused, not waited on) and
 * never follows a link the trainer planted (a symbolic link is refused, and so is a hard link to
 * some other file, which has two names). The caller closes the handle.
 */
export async function openUntrusted(path: string): Promise<OpenedUntrusted> {
  let handle: FileHandle;
  try {
    handle = await open(path, READ_FLAGS);
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'refused', why: 'a symbolic link' };
    return { kind: 'refused', why: `unreadable (${code ?? (error instanceof Error ? error.message : 'unknown error')})` };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      return { kind: 'refused', why: kindOf(stats) };
    }
    if (stats.nlink > 1) {
      await handle.close();
      return { kind: 'refused', why: `a file with ${stats.nlink} names (a hard link)` };
    }
    return { kind: 'file', file: { handle, size: stats.size } };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/**
 * The first `maxBytes` of a file a trainer controls, under {@link openUntrusted}'s rules, with
 * the file's whole size (larger than the text when it was cut).
 */
export async function readUntrusted(path: string, maxBytes: number): Promise<{ kind: 'text'; text: string; size: number } | Exclude<OpenedUntrusted, { kind: 'file' }>> {
  const opened = await openUntrusted(path);
  if (opened.kind !== 'file') return opened;
  const { handle, size } = opened.file;
  try {
    const buffer = Buffer.alloc(Math.min(size, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { kind: 'text', text: buffer.subarray(0, bytesRead).toString('utf8'), size };
  } finally {
    await handle.close();
  }
}

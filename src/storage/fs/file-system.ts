// The narrow filesystem the storage layer runs on. Two implementations answer it: the real one
// (node:fs/promises) and an in-memory one that can fail, tear writes and lose power, so crash
// behaviour is tested without crashing anything.

/** How a file is opened. `readWrite` creates the file if it is missing and never truncates it. */
export type OpenMode = 'read' | 'readWrite' | 'createExclusive';

export interface FileStat {
  /** Bytes in a file; unspecified for a directory. */
  sizeBytes: number;
  isDirectory: boolean;
}

export interface FileHandle {
  /** Reads up to `length` bytes at `position` into `buffer[bufferOffset..]`; returns bytes read (short at EOF). */
  read(buffer: Buffer, bufferOffset: number, length: number, position: number): Promise<number>;
  /** Writes all of `data` at `position`, or throws; a torn write may leave a prefix behind. */
  write(data: Buffer, position: number): Promise<void>;
  /** Writes several buffers back to back starting at `position` (one system call where possible). */
  writev(chunks: readonly Buffer[], position: number): Promise<void>;
  truncate(sizeBytes: number): Promise<void>;
  /** Makes every write so far durable (fdatasync semantics). */
  sync(): Promise<void>;
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

export interface FileSystem {
  open(path: string, mode: OpenMode): Promise<FileHandle>;
  /** Reads a whole small file (metadata, checkpoints); never used for segments. */
  readFile(path: string): Promise<Buffer>;
  /** Atomically replaces `to` with `from`; both must be in the same directory. Durable after syncDirectory. */
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Creates the directory and any missing parents; succeeds if it exists. */
  mkdir(path: string): Promise<void>;
  /** Removes a directory and everything in it; succeeds if it is missing. */
  removeDirectory(path: string): Promise<void>;
  /** Entry names, sorted. */
  readdir(path: string): Promise<string[]>;
  /** Stats a path, or returns undefined if it does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  /** Makes creates, renames and unlinks inside the directory durable. */
  syncDirectory(path: string): Promise<void>;
}

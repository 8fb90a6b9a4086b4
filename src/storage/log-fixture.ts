// Test fixtures: a LogManager over either filesystem, with a controllable clock.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from './clock.ts';
import type { FileSystem } from './fs/file-system.ts';
import { MemoryDisk } from './fs/memory-disk.ts';
import { MemoryFileSystem } from './fs/memory-file-system.ts';
import { NodeFileSystem } from './fs/node-file-system.ts';
import { LogManager, type LogManagerOptions } from './log-manager.ts';

export class ManualClock implements Clock {
  now: number;
  constructor(startMs = 1_000_000) {
    this.now = startMs;
  }
  nowMs(): number {
    return this.now;
  }
}

export interface LogFixture {
  fs: FileSystem;
  dataDir: string;
  clock: ManualClock;
  /** Only for the in-memory filesystem. */
  disk: MemoryDisk | undefined;
  open(options?: LogManagerOptions): Promise<LogManager>;
  /** A fresh view after a simulated power loss (memory) or the same filesystem (node). */
  remount(): FileSystem;
  dispose(): Promise<void>;
}

export type LogFixtureFactory = () => Promise<LogFixture>;

function fixture(
  fs: FileSystem,
  dataDir: string,
  disk: MemoryDisk | undefined,
  dispose: () => Promise<void>,
): LogFixture {
  const clock = new ManualClock();
  const f: LogFixture = {
    fs,
    dataDir,
    clock,
    disk,
    open: (options = {}) => LogManager.open(dataDir, f.fs, { clock, ...options }),
    remount: () => {
      if (disk !== undefined) f.fs = new MemoryFileSystem(disk);
      return f.fs;
    },
    dispose,
  };
  return f;
}

export const memoryFixture: LogFixtureFactory = async () => {
  const disk = new MemoryDisk();
  return fixture(new MemoryFileSystem(disk), '/data', disk, async () => {});
};

export const nodeFixture: LogFixtureFactory = async () => {
  const root = await mkdtemp(join(tmpdir(), 'sluice-log-'));
  return fixture(new NodeFileSystem(), join(root, 'data'), undefined, () =>
    rm(root, { recursive: true, force: true }),
  );
};

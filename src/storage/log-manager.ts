// The storage entry point the broker uses: opens a data directory (recovering it), owns topic
// metadata and every partition log, and runs the background work (flush.ms, retention,
// checkpoints). Admin changes run one at a time on the manager's queue; partitions own their state.
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { storageLimits } from '../limits.ts';
import { writeFileAtomically } from './atomic-file.ts';
import { type Clock, systemClock } from './clock.ts';
import { StorageError, storageErrorFromFs } from './errors.ts';
import type { FileSystem } from './fs/file-system.ts';
import { GroupCommit } from './group-commit.ts';
import { IndexCache } from './index-cache.ts';
import { type CleanResult, LogCleaner } from './log-cleaner.ts';
import {
  type LogConfig,
  parseLogConfig,
  topicDefaultsFromBroker,
  validateTopicConfigs,
} from './log-config.ts';
import { type StorageLogger, silentLogger } from './logger.ts';
import {
  checkpointKey,
  decodeCheckpoint,
  encodeCheckpoint,
  type OffsetCheckpoint,
} from './offset-checkpoint.ts';
import type { PartitionLog } from './partition-log.ts';
import { openPartitionLog, type PartitionRecoveryReport } from './partition-recovery.ts';
import { partitionDirName } from './segment-files.ts';
import { SerialQueue } from './serial-queue.ts';
import {
  checkPartitionCount,
  checkTopicName,
  decodeTopics,
  encodeTopics,
  TOPICS_FILE,
  type TopicMetadata,
} from './topic-metadata.ts';

export const CLEAN_SHUTDOWN_FILE = '.sluice-clean-shutdown';
export const RECOVERY_POINT_FILE = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_FILE = 'log-start-offset-checkpoint';
/** Kafka's name: per compacted partition, the offset below which its log is already clean. */
export const CLEANER_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';

export interface LogManagerOptions {
  /** Broker settings (`log.flush.interval.ms`, `log.retention.ms`, ...) that default topic configs. */
  brokerConfig?: Readonly<Record<string, string>>;
  clock?: Clock;
  logger?: StorageLogger;
  /** Source of topic ids; 16 random bytes each. */
  randomBytes?: (size: number) => Buffer;
  indexCacheBytesMax?: number;
}

export interface RecoveryReport {
  clean: boolean;
  durationMs: number;
  partitions: PartitionRecoveryReport[];
  offlinePartitions: string[];
}

export class LogManager {
  readonly dataDir: string;
  readonly #fs: FileSystem;
  readonly #clock: Clock;
  readonly #logger: StorageLogger;
  readonly #random: (size: number) => Buffer;
  readonly #defaults: Record<string, string>;
  readonly #cache: IndexCache;
  readonly #groupCommit = new GroupCommit();
  #cleaner: LogCleaner;
  readonly #admin = new SerialQueue(1024);
  readonly #topics = new Map<string, TopicMetadata>();
  readonly #logs = new Map<string, PartitionLog[]>();
  #recovery: RecoveryReport = { clean: true, durationMs: 0, partitions: [], offlinePartitions: [] };
  #timers: NodeJS.Timeout[] = [];
  #checkpointing: Promise<void> | undefined;
  #startupRecoveryPoints: OffsetCheckpoint = new Map();
  #startupStartOffsets: OffsetCheckpoint = new Map();
  #checkpointAgain = false;
  #closed = false;

  private constructor(dataDir: string, fs: FileSystem, options: LogManagerOptions) {
    this.dataDir = dataDir;
    this.#fs = fs;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#random = options.randomBytes ?? randomBytes;
    this.#defaults = topicDefaultsFromBroker(options.brokerConfig ?? {});
    parseLogConfig({}, this.#defaults);
    this.#cache = new IndexCache(options.indexCacheBytesMax ?? storageLimits.indexCacheBytesMax);
    this.#cleaner = new LogCleaner(this.#clock, this.#logger);
  }

  /** Opens (creating if needed) a data directory and recovers every partition in it. */
  static async open(dataDir: string, fs: FileSystem, options: LogManagerOptions = {}): Promise<LogManager> {
    const manager = new LogManager(dataDir, fs, options);
    await manager.#open();
    return manager;
  }

  get recoveryReport(): RecoveryReport {
    return this.#recovery;
  }

  get groupCommitRounds(): number {
    return this.#groupCommit.rounds;
  }

  listTopics(): TopicMetadata[] {
    return [...this.#topics.values()].map((t) => ({ ...t, configs: { ...t.configs } }));
  }

  describeTopic(name: string): TopicMetadata | undefined {
    const topic = this.#topics.get(name);
    return topic === undefined ? undefined : { ...topic, configs: { ...topic.configs } };
  }

  /** The effective config of a topic (overrides over broker defaults). */
  topicConfig(name: string): LogConfig {
    return parseLogConfig(this.#requireTopic(name).configs, this.#defaults);
  }

  /** A partition's log; offline partitions are returned too and fail every call with a typed error. */
  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.#logs.get(topic)?.[partition];
  }

  partitions(): PartitionLog[] {
    return [...this.#logs.values()].flat();
  }

  async createTopic(
    name: string,
    partitions: number,
    configs: Readonly<Record<string, string>> = {},
  ): Promise<TopicMetadata> {
    checkTopicName(name);
    checkPartitionCount(name, partitions);
    validateTopicConfigs(configs);
    parseLogConfig(configs, this.#defaults);
    return this.#admin.run(async () => {
      this.#throwIfClosed();
      if (this.#topics.has(name))
        throw new StorageError('topic_exists', `Cannot create topic '${name}': it exists`, { topic: name });
      if (this.#topics.size >= storageLimits.topicsMax) {
        throw new StorageError(
          'invalid_config',
          `Cannot create topic '${name}': ${this.#topics.size} topics is the limit`,
          { topic: name },
        );
      }
      const topic: TopicMetadata = {
        name,
        topicId: this.#random(16).toString('base64url'),
        partitions,
        configs: { ...configs },
      };
      await this.#persistTopics([...this.#topics.values(), topic]);
      this.#topics.set(name, topic);
      this.#logs.set(name, []);
      await this.#openPartitions(topic, 0, partitions, true);
      return { ...topic, configs: { ...topic.configs } };
    });
  }

  deleteTopic(name: string): Promise<void> {
    return this.#admin.run(async () => {
      this.#throwIfClosed();
      const topic = this.#requireTopic(name);
      const remaining = [...this.#topics.values()].filter((t) => t !== topic);
      await this.#persistTopics(remaining);
      this.#topics.delete(name);
      const logs = this.#logs.get(name) ?? [];
      this.#logs.delete(name);
      for (const log of logs) await log.abandon('deleted');
      this.#cleaner.forgetTopic(name);
      for (let p = 0; p < topic.partitions; p++) await this.#removePartitionDir(name, p);
      await this.writeCheckpoints();
    });
  }

  /** Raises a topic's partition count to `total` (Kafka never lowers it). */
  createPartitions(name: string, total: number): Promise<void> {
    return this.#admin.run(async () => {
      this.#throwIfClosed();
      const topic = this.#requireTopic(name);
      checkPartitionCount(name, total);
      if (total <= topic.partitions) {
        throw new StorageError(
          'invalid_partitions',
          `Cannot grow topic '${name}' to ${total} partitions: it has ${topic.partitions}`,
          { topic: name },
        );
      }
      const grown = { ...topic, partitions: total };
      await this.#persistTopics([...this.#topics.values()].map((t) => (t === topic ? grown : t)));
      this.#topics.set(name, grown);
      await this.#openPartitions(grown, topic.partitions, total, true);
    });
  }

  /** Replaces a topic's config overrides (IncrementalAlterConfigs is computed by the caller). */
  async alterTopicConfigs(name: string, configs: Readonly<Record<string, string>>): Promise<void> {
    validateTopicConfigs(configs);
    const config = parseLogConfig(configs, this.#defaults);
    return this.#admin.run(async () => {
      this.#throwIfClosed();
      const topic = this.#requireTopic(name);
      const altered = { ...topic, configs: { ...configs } };
      await this.#persistTopics([...this.#topics.values()].map((t) => (t === topic ? altered : t)));
      this.#topics.set(name, altered);
      for (const log of this.#logs.get(name) ?? []) log.setConfig(config);
    });
  }

  /** Requests a sync of every partition whose flush.ms has passed; returns how many. */
  flushDue(): number {
    const now = this.#clock.nowMs();
    let count = 0;
    for (const log of this.partitions()) {
      if (!log.isFlushDue(now)) continue;
      this.#groupCommit.request(log);
      count++;
    }
    return count;
  }

  /** Applies retention to every online partition; returns the number of segments deleted. */
  async enforceRetention(): Promise<number> {
    let deleted = 0;
    for (const log of this.partitions()) {
      if (log.isOffline) continue;
      deleted += await log.enforceRetention(this.#clock.nowMs()).catch(() => 0);
    }
    return deleted;
  }

  /**
   * Compacts every partition whose cleanup.policy includes compact and whose dirty ratio is
   * reached (or all of them with `force`), one partition at a time. A failure is logged and
   * leaves that partition's log as it was.
   */
  async compact(force = false): Promise<CleanResult[]> {
    const results: CleanResult[] = [];
    for (const log of this.partitions()) {
      try {
        const result = await this.#cleaner.clean(log, () => this.writeCheckpoints(), force);
        if (result !== undefined) results.push(result);
      } catch (error) {
        this.#logger.warn(
          { topic: log.topic, partition: log.partition, error: String(error) },
          'Compaction failed',
        );
      }
    }
    if (results.length > 0)
      await this.#writeCleanerCheckpoint().catch((error: unknown) =>
        // Losing it only costs the next pass a rescan of the log from its start.
        this.#logger.warn({ error: String(error) }, 'Could not write the cleaner checkpoint'),
      );
    return results;
  }

  /**
   * Persists where each partition's dirty section starts, so a restart does not clean the whole
   * log again. Written after the swaps it describes are durable; partitions of deleted topics drop out.
   */
  async #writeCleanerCheckpoint(): Promise<void> {
    const known = new Set(this.partitions().map((log) => checkpointKey(log.topic, log.partition)));
    const entries: OffsetCheckpoint = new Map();
    for (const [key, offset] of this.#cleaner.checkpoint()) if (known.has(key)) entries.set(key, offset);
    await writeFileAtomically(this.#fs, this.dataDir, CLEANER_CHECKPOINT_FILE, encodeCheckpoint(entries));
  }

  /** Flushes every partition now. */
  async flushAll(): Promise<void> {
    await Promise.all(
      this.partitions().map((log) => (log.isOffline ? undefined : log.flush().catch(() => {}))),
    );
  }

  /** Starts the background timers (unref'd); tests call flushDue/enforceRetention directly instead. */
  start(
    intervals: {
      flushCheckMs?: number;
      retentionCheckMs?: number;
      checkpointMs?: number;
      cleanerBackoffMs?: number;
    } = {},
  ): void {
    const every = (ms: number, task: () => unknown) => {
      const timer = setInterval(() => {
        Promise.resolve(task()).catch((error: unknown) =>
          this.#logger.error({ error: String(error) }, 'Background storage task failed'),
        );
      }, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(intervals.flushCheckMs ?? 100, () => this.flushDue());
    every(intervals.retentionCheckMs ?? 300_000, () => this.enforceRetention());
    every(intervals.checkpointMs ?? 60_000, () => this.writeCheckpoints());
    every(intervals.cleanerBackoffMs ?? 15_000, () => this.compact());
  }

  /** Writes the recovery-point and log-start-offset checkpoints (coalescing concurrent calls). */
  writeCheckpoints(): Promise<void> {
    if (this.#checkpointing !== undefined) {
      this.#checkpointAgain = true;
      return this.#checkpointing;
    }
    this.#checkpointing = this.#checkpointLoop().finally(() => {
      this.#checkpointing = undefined;
    });
    return this.#checkpointing;
  }

  async #checkpointLoop(): Promise<void> {
    // At most two passes: requests arriving during a pass are covered by the next one.
    for (let pass = 0; pass < 2; pass++) {
      this.#checkpointAgain = false;
      await this.#writeCheckpointFiles(this.partitions());
      if (!this.#checkpointAgain) return;
    }
  }

  /**
   * Writes both checkpoint files. An offline partition keeps the values read at startup (its
   * in-memory ones may be empty): a lower recovery point only means a longer scan, but a lower
   * log start offset would undo an acknowledged DeleteRecords.
   */
  async #writeCheckpointFiles(logs: PartitionLog[]): Promise<void> {
    const recovery: OffsetCheckpoint = new Map();
    const start: OffsetCheckpoint = new Map();
    for (const log of logs) {
      const key = checkpointKey(log.topic, log.partition);
      const knownRecovery = this.#startupRecoveryPoints.get(key) ?? 0;
      const knownStart = this.#startupStartOffsets.get(key) ?? 0;
      const healthy = !log.isOffline || log.offlineError?.code === 'closed';
      recovery.set(key, healthy ? log.flushedOffset : Math.min(knownRecovery, log.flushedOffset));
      start.set(key, healthy ? log.logStartOffset : Math.max(knownStart, log.logStartOffset));
    }
    await writeFileAtomically(this.#fs, this.dataDir, RECOVERY_POINT_FILE, encodeCheckpoint(recovery));
    await writeFileAtomically(this.#fs, this.dataDir, LOG_START_OFFSET_FILE, encodeCheckpoint(start));
  }

  /** Clean shutdown: closes every partition (indexes written, data fsynced), checkpoints, writes the marker. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    await this.#admin.run(async () => {});
    const logs = this.partitions();
    let allClean = true;
    for (const log of logs) {
      const wasOnline = !log.isOffline;
      await log.close().catch(() => {
        allClean = false;
      });
      if (!wasOnline) allClean = false;
    }
    await this.#writeCheckpointFiles(logs);
    // An offline partition was not closed cleanly: without the marker, the next start rescans.
    if (allClean)
      await writeFileAtomically(this.#fs, this.dataDir, CLEAN_SHUTDOWN_FILE, Buffer.from('clean\n'));
  }

  async #open(): Promise<void> {
    const started = performance.now();
    await this.#fs.mkdir(this.dataDir);
    await this.#fs.syncDirectory(dirname(this.dataDir));
    const clean = (await this.#fs.stat(`${this.dataDir}/${CLEAN_SHUTDOWN_FILE}`)) !== undefined;
    if (clean) {
      // Removed before anything changes, so a crash from here on is seen as unclean.
      await this.#fs.unlink(`${this.dataDir}/${CLEAN_SHUTDOWN_FILE}`);
      await this.#fs.syncDirectory(this.dataDir);
    }
    for (const topic of await this.#readTopics()) this.#topics.set(topic.name, topic);
    await this.#removeLeftovers();
    const recoveryPoints = await this.#readCheckpoint(RECOVERY_POINT_FILE);
    const startOffsets = await this.#readCheckpoint(LOG_START_OFFSET_FILE);
    this.#cleaner = new LogCleaner(
      this.#clock,
      this.#logger,
      await this.#readCheckpoint(CLEANER_CHECKPOINT_FILE),
    );
    this.#startupRecoveryPoints = recoveryPoints;
    this.#startupStartOffsets = startOffsets;
    this.#recovery = { clean, durationMs: 0, partitions: [], offlinePartitions: [] };
    for (const topic of this.#topics.values()) {
      this.#logs.set(topic.name, []);
      await this.#openPartitions(topic, 0, topic.partitions, false, { clean, recoveryPoints, startOffsets });
    }
    this.#recovery.durationMs = performance.now() - started;
    this.#logger.info(
      {
        dataDir: this.dataDir,
        clean,
        durationMs: Math.round(this.#recovery.durationMs),
        partitions: this.#recovery.partitions.length,
      },
      clean ? 'Opened log after clean shutdown' : 'Recovered log after unclean shutdown',
    );
  }

  async #openPartitions(
    topic: TopicMetadata,
    from: number,
    to: number,
    created: boolean,
    state: { clean: boolean; recoveryPoints: OffsetCheckpoint; startOffsets: OffsetCheckpoint } = {
      clean: true,
      recoveryPoints: new Map(),
      startOffsets: new Map(),
    },
  ): Promise<void> {
    const config = parseLogConfig(topic.configs, this.#defaults);
    const logs = this.#logs.get(topic.name)!;
    for (let p = from; p < to; p++) {
      const dir = `${this.dataDir}/${partitionDirName(topic.name, p)}`;
      const key = checkpointKey(topic.name, p);
      const { log, report } = await openPartitionLog(
        {
          fs: this.#fs,
          dir,
          topic: topic.name,
          partition: p,
          config,
          clock: this.#clock,
          logger: this.#logger,
          cache: this.#cache,
          groupCommit: this.#groupCommit,
          persistLogStartOffsets: () => this.writeCheckpoints(),
        },
        {
          clean: state.clean && !created,
          recoveryPoint: state.recoveryPoints.get(key) ?? 0,
          logStartOffset: state.startOffsets.get(key) ?? 0,
        },
      );
      logs[p] = log;
      this.#recovery.partitions.push(report);
      if (log.isOffline) this.#recovery.offlinePartitions.push(`${topic.name}-${p}`);
    }
    // New (or re-created) partition directories must survive a crash once the topic is acknowledged.
    await this.#fs.syncDirectory(this.dataDir);
  }

  async #readTopics(): Promise<TopicMetadata[]> {
    const file = `${this.dataDir}/${TOPICS_FILE}`;
    if ((await this.#fs.stat(file)) === undefined) return [];
    return decodeTopics(await this.#fs.readFile(file), file);
  }

  async #readCheckpoint(name: string): Promise<OffsetCheckpoint> {
    const file = `${this.dataDir}/${name}`;
    if ((await this.#fs.stat(file)) === undefined) return new Map();
    try {
      return decodeCheckpoint((await this.#fs.readFile(file)).toString('utf8'), file);
    } catch (error) {
      // A bad checkpoint only costs a longer recovery (scan from 0) and an older log start offset.
      this.#logger.warn({ file, error: String(error) }, 'Ignoring unreadable checkpoint');
      return new Map();
    }
  }

  /** Removes partition directories of deleted topics and temp files of interrupted atomic writes. */
  async #removeLeftovers(): Promise<void> {
    for (const name of await this.#fs.readdir(this.dataDir)) {
      if (name.endsWith('.tmp')) {
        await this.#fs.unlink(`${this.dataDir}/${name}`);
        continue;
      }
      const dash = name.lastIndexOf('-');
      const stat = dash > 0 ? await this.#fs.stat(`${this.dataDir}/${name}`) : undefined;
      if (stat?.isDirectory !== true) continue;
      const topic = this.#topics.get(name.slice(0, dash));
      const partition = Number(name.slice(dash + 1));
      if (
        topic !== undefined &&
        Number.isSafeInteger(partition) &&
        partition >= 0 &&
        partition < topic.partitions
      )
        continue;
      this.#logger.info({ dir: name }, 'Removing directory of a deleted partition');
      await this.#fs.removeDirectory(`${this.dataDir}/${name}`);
    }
  }

  async #removePartitionDir(topic: string, partition: number): Promise<void> {
    const dir = `${this.dataDir}/${partitionDirName(topic, partition)}`;
    try {
      await this.#fs.removeDirectory(dir);
    } catch (error) {
      // The topic is already gone from metadata; the directory is removed at the next start.
      this.#logger.warn({ dir, error: String(error) }, 'Could not remove partition directory');
    }
  }

  async #persistTopics(topics: TopicMetadata[]): Promise<void> {
    try {
      await writeFileAtomically(this.#fs, this.dataDir, TOPICS_FILE, encodeTopics(topics));
    } catch (error) {
      throw storageErrorFromFs(error, 'write topic metadata', { file: `${this.dataDir}/${TOPICS_FILE}` });
    }
  }

  #requireTopic(name: string): TopicMetadata {
    const topic = this.#topics.get(name);
    if (topic === undefined)
      throw new StorageError('unknown_topic', `Unknown topic '${name}'`, { topic: name });
    return topic;
  }

  #throwIfClosed(): void {
    if (this.#closed) throw new StorageError('closed', `Log manager for ${this.dataDir} is closed`);
  }
}

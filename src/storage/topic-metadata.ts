// The topics of a data directory (name, id, partition count, config overrides), persisted as one
// JSON file replaced atomically. The file is the source of truth: partition directories it does
// not name are leftovers of a deletion and are removed at startup; missing ones are created.
import { storageLimits } from '../limits.ts';
import { StorageError } from './errors.ts';

export interface TopicMetadata {
  name: string;
  /** 16 random bytes, base64url (Kafka's Uuid string form). */
  topicId: string;
  partitions: number;
  /** Topic-level config overrides, as strings. */
  configs: Record<string, string>;
}

export const TOPICS_FILE = 'topics.json';

export function encodeTopics(topics: Iterable<TopicMetadata>): Buffer {
  return Buffer.from(JSON.stringify({ version: 1, topics: [...topics] }, null, 1));
}

export function decodeTopics(data: Buffer, file: string): TopicMetadata[] {
  const fail = (why: string) =>
    new StorageError('corrupt_log', `Cannot read topic metadata ${file}: ${why}`, { file });
  if (data.length > storageLimits.metadataFileBytesMax) throw fail(`${data.length} bytes is too large`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error));
  }
  const root = parsed as { version?: unknown; topics?: unknown };
  if (root.version !== 1 || !Array.isArray(root.topics)) throw fail('expected {version: 1, topics: [...]}');
  if (root.topics.length > storageLimits.topicsMax)
    throw fail(`${root.topics.length} topics exceeds the limit`);
  return root.topics.map((t: unknown, i: number) => {
    const topic = t as Partial<TopicMetadata>;
    if (
      typeof topic.name !== 'string' ||
      typeof topic.topicId !== 'string' ||
      !Number.isSafeInteger(topic.partitions)
    ) {
      throw fail(`topic entry ${i} is malformed`);
    }
    const configs = typeof topic.configs === 'object' && topic.configs !== null ? topic.configs : {};
    return { name: topic.name, topicId: topic.topicId, partitions: topic.partitions as number, configs };
  });
}

const legalTopicName = /^[a-zA-Z0-9._-]{1,249}$/;

export function checkTopicName(name: string): void {
  if (!legalTopicName.test(name) || name === '.' || name === '..') {
    throw new StorageError(
      'invalid_config',
      `Invalid topic name '${name}': use 1-249 of [a-zA-Z0-9._-], not '.' or '..'`,
    );
  }
}

export function checkPartitionCount(topic: string, partitions: number): void {
  if (
    !Number.isSafeInteger(partitions) ||
    partitions < 1 ||
    partitions > storageLimits.partitionsPerTopicMax
  ) {
    throw new StorageError(
      'invalid_partitions',
      `Invalid partition count for topic '${topic}': must be between 1 and ${storageLimits.partitionsPerTopicMax}, got ${partitions}`,
      { topic },
    );
  }
}

// The broker's topics (storage's LogManager) as the coordinator's TopicCatalog. Internal topics
// are left out, as Kafka leaves them out of regex subscriptions.
import type { LogManager } from '../storage/log-manager.ts';
import { OFFSETS_TOPIC } from './offsets-log.ts';
import type { CatalogTopic, TopicCatalog } from './topic-catalog.ts';

const INTERNAL_TOPICS: ReadonlySet<string> = new Set([OFFSETS_TOPIC, '__transaction_state']);

export class LogManagerTopicCatalog implements TopicCatalog {
  readonly #logs: LogManager;

  constructor(logs: LogManager) {
    this.#logs = logs;
  }

  byName(name: string): CatalogTopic | undefined {
    if (INTERNAL_TOPICS.has(name)) return undefined;
    const t = this.#logs.describeTopic(name);
    return t === undefined ? undefined : { name: t.name, id: t.topicId, partitions: t.partitions };
  }

  byId(id: string): CatalogTopic | undefined {
    for (const t of this.all()) if (t.id === id) return t;
    return undefined;
  }

  all(): CatalogTopic[] {
    return this.#logs
      .listTopics()
      .filter((t) => !INTERNAL_TOPICS.has(t.name))
      .map((t) => ({ name: t.name, id: t.topicId, partitions: t.partitions }));
  }
}

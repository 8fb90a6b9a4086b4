// What the coordinator needs to know about topics: KIP-848 subscriptions name topics (or match
// them by regex) while assignments carry topic ids, and the assignors need partition counts.
// The broker adapts its topic store to this; MemoryTopicCatalog serves embedded use and tests.
import { randomBytes } from 'node:crypto';

export interface CatalogTopic {
  readonly name: string;
  /** Kafka topic id: 16 bytes as 22 base64url characters (the protocol codec's uuid form). */
  readonly id: string;
  readonly partitions: number;
}

export interface TopicCatalog {
  byName(name: string): CatalogTopic | undefined;
  byId(id: string): CatalogTopic | undefined;
  all(): Iterable<CatalogTopic>;
}

/** A topic catalog held in memory: topics are put and removed by hand. */
export class MemoryTopicCatalog implements TopicCatalog {
  readonly #byName = new Map<string, CatalogTopic>();
  readonly #byId = new Map<string, CatalogTopic>();

  /** Creates the topic, or changes its partition count keeping its id. */
  put(name: string, partitions: number): CatalogTopic {
    const id = this.#byName.get(name)?.id ?? randomBytes(16).toString('base64url');
    const topic: CatalogTopic = { name, id, partitions };
    this.#byName.set(name, topic);
    this.#byId.set(id, topic);
    return topic;
  }

  remove(name: string): void {
    const topic = this.#byName.get(name);
    if (topic === undefined) return;
    this.#byName.delete(name);
    this.#byId.delete(topic.id);
  }

  byName(name: string): CatalogTopic | undefined {
    return this.#byName.get(name);
  }

  byId(id: string): CatalogTopic | undefined {
    return this.#byId.get(id);
  }

  all(): Iterable<CatalogTopic> {
    return this.#byName.values();
  }
}

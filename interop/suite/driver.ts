// What every client driver offers the shared scenarios. A driver wraps one real client (an npm
// library in-process, or an external program that prints JSON lines) behind the same operations.
import type { Codec, ReadRecord, RecordAbilities, SpecRecord } from './records.ts';

export type GroupProtocol = 'classic' | 'consumer';

export interface ClientDriver {
  /** As test names show it, e.g. 'kafkajs 2.2.4'. */
  readonly name: string;
  /** Why the client cannot run here (not installed: name the install command), or null. */
  missing(): string | null;
  readonly abilities: RecordAbilities;
  /** Why this client cannot produce `codec`, or null when it can. */
  codecGap(codec: Codec): string | null;
  /** Why this client has no config admin (describe/alter), or null when it has. */
  readonly configsGap: string | null;
  /** Group protocols the driver's consumer speaks (KIP-848's is 'consumer'). */
  readonly groupProtocols: readonly GroupProtocol[];
  /** Broker properties the driver needs (kcat creates topics by auto-creation). */
  readonly brokerConfig?: Readonly<Record<string, string>>;

  createTopic(bootstrap: string, topic: string, partitions: number): Promise<void>;
  /** Produces in the given order (per partition), to each record's own partition, acks=all. */
  produce(bootstrap: string, topic: string, codec: Codec, records: readonly SpecRecord[]): Promise<void>;
  /** Reads every record of every partition from offset 0 up to the log end offsets. */
  readAll(bootstrap: string, topic: string, partitions: number): Promise<ReadRecord[]>;
  /** Joins `group` subscribed to `topic`; commits what it consumed after every poll. */
  startMember(bootstrap: string, topic: string, group: string, protocol: GroupProtocol): Promise<GroupMember>;
  describeConfigs(bootstrap: string, topic: string): Promise<Record<string, string>>;
  alterConfigs(bootstrap: string, topic: string, configs: Readonly<Record<string, string>>): Promise<void>;
}

export interface Consumed {
  partition: number;
  offset: bigint;
}

/** A running group member as the scenario sees it, fed by its driver. */
export interface GroupMember {
  readonly state: MemberState;
  /** Commits what it consumed and leaves the group (LeaveGroup or a leaving heartbeat). */
  leave(): Promise<void>;
}

/** What a member reported so far; drivers call the mutators, scenarios wait on changes. */
export class MemberState {
  assignment: number[] = [];
  consumed: Consumed[] = [];
  failure: Error | null = null;
  #listeners = new Set<() => void>();

  constructor(readonly label: string) {}

  assigned(partitions: readonly number[]): void {
    this.assignment = [...partitions].sort((a, b) => a - b);
    this.#changed();
  }

  took(records: readonly Consumed[]): void {
    if (records.length === 0) return;
    for (const r of records) this.consumed.push(r);
    this.#changed();
  }

  failed(error: Error): void {
    this.failure ??= error;
    this.#changed();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }
}

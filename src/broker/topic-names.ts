// Facts about topic names shared by the handlers.
import { ZERO_UUID } from '../protocol/codec-support.ts';
import type { LogManager } from '../storage/log-manager.ts';
import type { TopicMetadata } from '../storage/topic-metadata.ts';

const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state']);
const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export { ZERO_UUID };

export function isInternalTopic(name: string): boolean {
  return INTERNAL_TOPICS.has(name);
}

/** Kafka's topic name rule: 1-249 of [a-zA-Z0-9._-], and not '.' or '..'. */
export function isLegalTopicName(name: string): boolean {
  return LEGAL_TOPIC_NAME.test(name) && name !== '.' && name !== '..';
}

/** Topics by id, built once per request that names topics by id (Fetch v13+, Metadata, DeleteTopics). */
export function topicsById(logs: LogManager): Map<string, TopicMetadata> {
  return new Map(logs.listTopics().map((t) => [t.topicId, t]));
}

// Turns the client's errors into messages that say what failed and what to do next. The
// client's message already names the action and the error code's name ("Cannot create topic
// 'x': topicAlreadyExists (36)"); this adds the suggestion a person at a terminal needs.
import { ClientStateError, ConnectionError, KafkaError, RequestTimeoutError } from '../client/errors.ts';
import { ErrorCode } from '../protocol/error-codes.ts';
import type { ClientSettings } from './client-settings.ts';
import { CliError } from './command.ts';

const suggestions: ReadonlyMap<number, (s: ClientSettings) => string> = new Map<
  number,
  (s: ClientSettings) => string
>([
  [ErrorCode.topicAlreadyExists, () => 'pick another name, or pass --if-not-exists'],
  [
    ErrorCode.unknownTopicOrPartition,
    (s) => `check the name and partition with \`sluice topics list --bootstrap ${s.bootstrap}\``,
  ],
  [
    ErrorCode.invalidTopicException,
    () => "topic names are 1-249 characters of ASCII letters, digits, '.', '_' and '-'",
  ],
  [ErrorCode.invalidPartitions, () => 'partitions must be at least 1 and can only grow'],
  [ErrorCode.invalidReplicationFactor, () => 'the replication factor cannot exceed the number of brokers'],
  [ErrorCode.invalidConfig, () => 'check the config name and value against the broker documentation'],
  [ErrorCode.policyViolation, () => 'the cluster policy refuses this change'],
  [ErrorCode.groupIdNotFound, (s) => `list groups with \`sluice groups list --bootstrap ${s.bootstrap}\``],
  [ErrorCode.nonEmptyGroup, () => 'the group still has members: stop its consumers first'],
  [ErrorCode.unknownMemberId, () => 'the group has active members: stop its consumers first'],
  [ErrorCode.invalidGroupId, () => 'give a non-empty group id'],
  [
    ErrorCode.coordinatorNotAvailable,
    () => 'the group coordinator is not available; retry in a moment or check the broker log',
  ],
  [ErrorCode.topicAuthorizationFailed, () => 'the cluster does not allow this on the topic'],
  [ErrorCode.groupAuthorizationFailed, () => 'the cluster does not allow this on the group'],
  [ErrorCode.clusterAuthorizationFailed, () => 'the cluster does not allow this operation'],
  [ErrorCode.unsupportedVersion, () => 'the broker does not support this request; upgrade the broker'],
  [ErrorCode.messageTooLarge, () => "the record exceeds the topic's max.message.bytes"],
  [ErrorCode.recordListTooLarge, () => "a batch exceeds the topic's max.message.bytes"],
  [ErrorCode.unsupportedCompressionType, () => 'pick another --compression'],
  [ErrorCode.producerFenced, () => 'another producer with the same --transactional-id took over'],
  [
    ErrorCode.requestTimedOut,
    (s) => `the broker did not finish in time; raise --timeout-ms (${s.timeoutMs})`,
  ],
]);

function socketCode(message: string): string | undefined {
  return /\b(E[A-Z]{3,})\b/.exec(message)?.[1];
}

/** The message for a failure to reach the cluster at all. */
export function unreachableMessage(settings: ClientSettings, error: Error): string {
  const code = socketCode(error.message) ?? 'no answer';
  return (
    `Cannot reach ${settings.bootstrap} (${code}): is a broker running? ` +
    'Start one with `npx sluice broker`, or pass --bootstrap HOST:PORT'
  );
}

/** The CliError for a client error, or undefined when `error` is not one (a bug: let it crash). */
export function toCliError(error: unknown, settings: ClientSettings): CliError | undefined {
  if (error instanceof CliError) return error;
  if (error instanceof KafkaError) {
    const suggest = suggestions.get(error.code);
    return new CliError(suggest === undefined ? error.message : `${error.message}: ${suggest(settings)}`);
  }
  if (error instanceof ConnectionError) {
    if (/^Cannot connect to/.test(error.message)) return new CliError(unreachableMessage(settings, error));
    return new CliError(`${error.message}: the broker closed the connection; check the broker log and retry`);
  }
  if (error instanceof RequestTimeoutError) {
    return new CliError(
      `${error.message}: raise --timeout-ms (now ${settings.timeoutMs}) or check the broker`,
    );
  }
  if (error instanceof ClientStateError) return new CliError(error.message, 2);
  return undefined;
}

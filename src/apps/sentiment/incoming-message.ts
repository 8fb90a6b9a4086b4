// Reading `social.messages` without trusting it: several sources write that topic, so a record
// that is not JSON or not a SocialMessage becomes a rejected value (sent to a topic of its own
// by the job) instead of failing the job or vanishing.
import type { Serde } from '../../engine/serde/serde.ts';
import type { MessageSource, SocialMessage } from './records.ts';

export interface RejectedMessage {
  readonly reason: string;
  /** The start of the record's bytes as text. */
  readonly preview: string;
}

export type IncomingMessage =
  | { readonly kind: 'message'; readonly message: SocialMessage }
  | { readonly kind: 'rejected'; readonly rejected: RejectedMessage };

const sources: readonly MessageSource[] = ['slack', 'x', 'generator'];
const previewCharsMax = 200;

function field(value: object, name: string): unknown {
  return (value as Record<string, unknown>)[name];
}

/** Why `value` is not a SocialMessage, or null when it is one. */
export function socialMessageProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null)
    return `not an object but ${value === null ? 'null' : typeof value}`;
  const source = field(value, 'source');
  if (!sources.includes(source as MessageSource))
    return `source ${JSON.stringify(source)} is not one of ${sources.join(', ')}`;
  for (const name of ['channel', 'user', 'text', 'id']) {
    if (typeof field(value, name) !== 'string') return `${name} is not a string`;
  }
  const at = field(value, 'timestampMs');
  if (!(typeof at === 'number' && Number.isSafeInteger(at) && at >= 0))
    return `timestampMs ${JSON.stringify(at)} is not an integer >= 0`;
  return null;
}

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

export function incomingMessageSerde(): Serde<IncomingMessage> {
  return {
    name: 'social-message-json',
    serialize(value: IncomingMessage): Uint8Array {
      return encoder.encode(JSON.stringify(value.kind === 'message' ? value.message : value.rejected));
    },
    deserialize(bytes: Uint8Array): IncomingMessage {
      const text = decoder.decode(bytes);
      const preview = text.slice(0, previewCharsMax);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        return { kind: 'rejected', rejected: { reason: `not JSON: ${(error as Error).message}`, preview } };
      }
      const problem = socialMessageProblem(parsed);
      if (problem !== null)
        return { kind: 'rejected', rejected: { reason: `not a SocialMessage: ${problem}`, preview } };
      return { kind: 'message', message: parsed as SocialMessage };
    },
  };
}

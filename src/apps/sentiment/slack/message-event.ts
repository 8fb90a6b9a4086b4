// A Slack message (from an Events API `message` event or a conversations.history page) as the
// sentiment app's SocialMessage, or null for messages that are not something a person wrote.
// Slack marks those with a subtype (bot_message, message_changed, message_deleted, channel_join,
// channel_leave, channel_topic, ...) or a bot_id; only the subtypes that still carry a person's
// new words (a reply also sent to the channel, a file shared with a comment, /me) are kept.
import type { SocialMessage } from '../records.ts';

const keptSubtypes: ReadonlySet<string> = new Set(['thread_broadcast', 'file_share', 'me_message']);

/** Slack's `ts` ("1355517523.000005": seconds and a per-channel sequence) in milliseconds. */
export function slackTsToMs(ts: string): number {
  if (!/^\d{1,12}(\.\d{1,9})?$/.test(ts))
    throw new RangeError(`Cannot read Slack ts '${ts}': not seconds.micros`);
  return Math.floor(Number(ts) * 1000);
}

/** Compares two Slack ts strings as numbers (they are not all the same length). */
export function compareSlackTs(a: string, b: string): number {
  const [aSec = '0', aFrac = ''] = a.split('.');
  const [bSec = '0', bFrac = ''] = b.split('.');
  const sec = Number(aSec) - Number(bSec);
  if (sec !== 0) return sec;
  const width = Math.max(aFrac.length, bFrac.length);
  return Number(aFrac.padEnd(width, '0') || '0') - Number(bFrac.padEnd(width, '0') || '0');
}

function stringField(o: Record<string, unknown>, name: string): string | undefined {
  const v = o[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * `channel` is taken from the message when it names one (events do), else from the argument
 * (history pages do not repeat it).
 */
export function slackMessageToSocial(message: unknown, channel?: string): SocialMessage | null {
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if (m.type !== undefined && m.type !== 'message') return null;
  const subtype = stringField(m, 'subtype');
  if (subtype !== undefined && !keptSubtypes.has(subtype)) return null;
  if (m.bot_id !== undefined || m.hidden === true) return null;
  const user = stringField(m, 'user');
  const text = stringField(m, 'text');
  const ts = stringField(m, 'ts');
  const where = stringField(m, 'channel') ?? channel;
  if (user === undefined || text === undefined || ts === undefined || where === undefined) return null;
  if (text.trim().length === 0) return null;
  let timestampMs: number;
  try {
    timestampMs = slackTsToMs(ts);
  } catch {
    return null;
  }
  return { source: 'slack', channel: where, user, text, id: `${where}:${ts}`, timestampMs };
}

// One line of the X API v2 filtered stream as SocialMessages. A line is a JSON object with
// `data` (the post: id, text, and the fields asked for: author_id, created_at), `includes`
// (expanded objects: users with their username) and `matching_rules` (id and tag of each rule
// the post matched); or, without `data`, `errors` (for instance an operational disconnect).
import type { SocialMessage } from '../records.ts';

export type StreamLine =
  | { kind: 'tweet'; message: SocialMessage }
  | { kind: 'errors'; errors: string[] }
  | { kind: 'other' };

interface TweetData {
  id?: unknown;
  text?: unknown;
  author_id?: unknown;
  created_at?: unknown;
}

interface StreamObject {
  data?: TweetData;
  includes?: { users?: { id?: unknown; username?: unknown }[] };
  matching_rules?: { id?: unknown; tag?: unknown }[];
  errors?: { title?: unknown; detail?: unknown; type?: unknown }[];
}

/** Throws on a line that is not JSON (the caller reports it and reads on). */
export function parseStreamLine(line: string, nowMs: number): StreamLine {
  const o = JSON.parse(line) as StreamObject;
  if (typeof o !== 'object' || o === null) return { kind: 'other' };
  const d = o.data;
  if (d !== undefined && typeof d.id === 'string' && typeof d.text === 'string') {
    const authorId = typeof d.author_id === 'string' ? d.author_id : 'unknown';
    const author = o.includes?.users?.find((u) => u.id === authorId);
    const tag = o.matching_rules?.find((r) => typeof r.tag === 'string' && r.tag.length > 0)?.tag;
    const created = typeof d.created_at === 'string' ? Date.parse(d.created_at) : Number.NaN;
    return {
      kind: 'tweet',
      message: {
        source: 'x',
        channel: typeof tag === 'string' ? tag : 'untagged',
        user: typeof author?.username === 'string' ? author.username : authorId,
        text: d.text,
        id: d.id,
        timestampMs: Number.isFinite(created) ? created : nowMs,
      },
    };
  }
  if (Array.isArray(o.errors))
    return {
      kind: 'errors',
      errors: o.errors.map((e) => [e.title, e.detail].filter((x) => typeof x === 'string').join(': ')),
    };
  return { kind: 'other' };
}

// Makes the filtered stream's rules match the watched keywords: one rule per keyword, tagged
// with the keyword (the tag comes back on every matching post and becomes its channel). The
// stream delivers the posts of every rule the app has, so rules that are not ours would put
// unrelated posts into social.messages: they are deleted. Uses X API v2:
// GET /2/tweets/search/stream/rules, POST the same path with {delete: {ids}} and {add: [...]}.
import { xLimits } from './limits.ts';

export interface StreamRule {
  id?: string;
  value: string;
  tag: string;
}

export interface RulesSync {
  added: StreamRule[];
  deletedIds: string[];
  kept: StreamRule[];
}

export interface RuleOptions {
  /** Leave retweets out (they repeat a text and would weigh it twice). Default true. */
  excludeRetweets?: boolean;
  /** Appended to every rule, e.g. 'lang:en'. */
  extraOperators?: string;
}

/** The rule value for a keyword: a phrase in quotes when it has spaces, plus the operators. */
export function ruleForKeyword(keyword: string, options: RuleOptions = {}): StreamRule {
  const k = keyword.trim();
  if (k.length === 0) throw new RangeError('Cannot make a stream rule for an empty keyword');
  if (k.includes('"'))
    throw new RangeError(`Cannot make a stream rule for keyword '${k}': it contains a quote`);
  const term = /\s/.test(k) ? `"${k}"` : k;
  const parts = [term];
  if (options.excludeRetweets ?? true) parts.push('-is:retweet');
  if (options.extraOperators !== undefined && options.extraOperators.trim() !== '')
    parts.push(options.extraOperators.trim());
  const value = parts.join(' ');
  if (value.length > xLimits.ruleValueCharsMax)
    throw new RangeError(
      `Cannot make a stream rule for keyword '${k}': '${value}' is ${value.length} characters, at most ${xLimits.ruleValueCharsMax}`,
    );
  return { value, tag: k };
}

export interface XApiConnection {
  /** Default https://api.x.com */
  baseUrl: string;
  bearerToken: string;
  timeoutMs?: number;
}

async function call(
  api: XApiConnection,
  method: 'GET' | 'POST',
  body?: unknown,
): Promise<Record<string, unknown>> {
  const url = new URL('/2/tweets/search/stream/rules', api.baseUrl);
  const init: RequestInit = {
    method,
    headers: {
      authorization: `Bearer ${api.bearerToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    signal: AbortSignal.timeout(api.timeoutMs ?? 15_000),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok)
    throw new Error(
      `${method} ${url.pathname} answered ${res.status}: ${text.slice(0, xLimits.errorBodyCharsMax)}`,
    );
  return JSON.parse(text) as Record<string, unknown>;
}

function readRules(data: unknown): StreamRule[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((r: { id?: unknown; value?: unknown; tag?: unknown }) =>
    typeof r.id === 'string' && typeof r.value === 'string'
      ? [{ id: r.id, value: r.value, tag: typeof r.tag === 'string' ? r.tag : '' }]
      : [],
  );
}

function failedItems(response: Record<string, unknown>): string | null {
  const errors = response.errors;
  if (!Array.isArray(errors) || errors.length === 0) return null;
  return JSON.stringify(errors).slice(0, xLimits.errorBodyCharsMax);
}

export async function syncStreamRules(
  api: XApiConnection,
  keywords: readonly string[],
  options: RuleOptions = {},
): Promise<RulesSync> {
  if (keywords.length === 0 || keywords.length > xLimits.rulesMax)
    throw new RangeError(
      `Cannot set stream rules: between 1 and ${xLimits.rulesMax} keywords are needed, got ${keywords.length}`,
    );
  const wanted = [
    ...new Map(keywords.map((k) => ruleForKeyword(k, options)).map((r) => [r.value, r])).values(),
  ];
  const existing = readRules((await call(api, 'GET')).data);
  const kept = existing.filter((r) => wanted.some((w) => w.value === r.value && w.tag === r.tag));
  const deletedIds = existing
    .filter((r) => !kept.includes(r))
    .flatMap((r) => (r.id === undefined ? [] : [r.id]));
  const added = wanted.filter((w) => !kept.some((r) => r.value === w.value && r.tag === w.tag));
  if (deletedIds.length > 0) {
    const res = await call(api, 'POST', { delete: { ids: deletedIds } });
    const failed = failedItems(res);
    if (failed !== null) throw new Error(`Deleting stream rules ${deletedIds.join(', ')} failed: ${failed}`);
  }
  if (added.length > 0) {
    const res = await call(api, 'POST', { add: added });
    const failed = failedItems(res);
    // A rule that already exists is not a failure: it is what we asked for.
    if (failed !== null && !/DuplicateRule/.test(failed))
      throw new Error(`Adding stream rules ${added.map((r) => `'${r.value}'`).join(', ')} failed: ${failed}`);
  }
  return { added, deletedIds, kept };
}

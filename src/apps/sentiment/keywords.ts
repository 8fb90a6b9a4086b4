// Which watched keywords a message mentions. A mention is the keyword as a whole word, in any
// case, optionally as a hashtag or mention (#Azure, @azure), a simple plural or a possessive
// (azures, Azure's, AWS'). A multi-word keyword ("google cloud") matches with any whitespace
// between its words and, as a hashtag or mention, with none (#googlecloud). Words that merely
// contain the keyword (azurite), e-mail domains (ops@azure.com) and other hashtags that start
// with it (#azuredevops) do not count: they would put unrelated chatter into the timeline.
import { sentimentLimits } from './limits.ts';

export interface KeywordMatcher {
  /** The watched keywords, normalized (trimmed, lower case, single spaces), in the order given. */
  readonly keywords: readonly string[];
  /** The keywords `text` mentions, each once, in the order of `keywords`. */
  matches(text: string): string[];
}

// Characters that continue a word: a match must not touch one on either side. '@' and '#' count
// too on the left, so "ops@azure.com" and "##azure" are not mentions.
const wordBefore = String.raw`(?<![\p{L}\p{N}\p{M}_@#])`;
const wordAfter = String.raw`(?![\p{L}\p{N}\p{M}_])`;
// Plural, possessive or plural possessive: azures, azurees (for -s/-x keywords), Azure's, AWS'.
const suffix = "(?:['’]s|s['’]|es|s|['’])?";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Lower case, trimmed, inner whitespace collapsed; throws on an unusable keyword. */
export function normalizeKeyword(keyword: string): string {
  const normalized = keyword.trim().replace(/\s+/gu, ' ').toLowerCase();
  if (normalized.length === 0) throw new RangeError(`Cannot watch keyword '${keyword}': it is empty`);
  if (normalized.length > sentimentLimits.keywordCharsMax) {
    throw new RangeError(
      `Cannot watch keyword '${keyword}': ${normalized.length} characters, at most ${sentimentLimits.keywordCharsMax}`,
    );
  }
  if (!/[\p{L}\p{N}]/u.test(normalized))
    throw new RangeError(`Cannot watch keyword '${keyword}': it has no letter or digit`);
  return normalized.replace(/^[#@]/u, '');
}

function patternFor(keyword: string): RegExp {
  const words = keyword.split(' ').map(escapeRegExp);
  const spaced = words.join(String.raw`\s+`);
  // The joined form only as a hashtag or mention: "googlecloud" alone is not "google cloud".
  const tagged = words.length > 1 ? `|[#@]${words.join('')}` : '';
  return new RegExp(`${wordBefore}(?:[#@]?${spaced}${tagged})${suffix}${wordAfter}`, 'iu');
}

export function keywordMatcher(keywords: readonly string[]): KeywordMatcher {
  if (keywords.length === 0) throw new RangeError('Cannot match keywords: the list is empty');
  if (keywords.length > sentimentLimits.keywordsMax) {
    throw new RangeError(
      `Cannot match ${keywords.length} keywords: at most ${sentimentLimits.keywordsMax} per job`,
    );
  }
  const unique = [...new Set(keywords.map(normalizeKeyword))];
  const patterns = unique.map((k) => ({ keyword: k, pattern: patternFor(k) }));
  return {
    keywords: unique,
    matches(text: string): string[] {
      const found: string[] = [];
      for (const { keyword, pattern } of patterns) if (pattern.test(text)) found.push(keyword);
      return found;
    },
  };
}

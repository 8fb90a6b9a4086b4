// A message becomes one ScoredMessage per watched keyword it mentions: scored once, keyed by
// keyword downstream, so a message about two products counts in both timelines.
import type { KeywordMatcher } from './keywords.ts';
import type { ScoredMessage, SocialMessage } from './records.ts';
import { boundedText, type SentimentThresholds, scoreText, sentimentThresholds } from './scorer.ts';

export function scoreMessage(
  message: SocialMessage,
  matcher: KeywordMatcher,
  thresholds: SentimentThresholds = sentimentThresholds,
): ScoredMessage[] {
  // Matching reads the same bounded text the scorer does: a mention past it has no score.
  const keywords = matcher.matches(boundedText(message.text));
  if (keywords.length === 0) return [];
  const { score, label } = scoreText(message.text, thresholds);
  return keywords.map((keyword) => ({ ...message, keyword, score, label }));
}

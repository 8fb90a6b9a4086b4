// Types for wink-sentiment 5 (it ships none): the one function it exports, as its README and
// source describe it. Scores are AFINN-165 based: integers -5..5 per token, and a normalized
// score (per sentiment-bearing token, damped for long texts) that stays within -5..5.
declare module 'wink-sentiment' {
  interface WinkToken {
    readonly value: string;
    readonly tag: string;
    readonly score?: number;
    readonly negation?: boolean;
    readonly grouped?: number;
  }
  interface WinkSentimentResult {
    readonly score: number;
    readonly normalizedScore: number;
    /** Absent for an empty phrase. */
    readonly tokenizedPhrase?: readonly WinkToken[];
  }
  function sentiment(phrase: string): WinkSentimentResult;
  export = sentiment;
}

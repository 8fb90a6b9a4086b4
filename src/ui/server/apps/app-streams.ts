// Event streams of the apps pages. Crypto: 'bar' for each new or revised bar of the one market
// the page shows (2,400 markets' bars would swamp a browser), 'spike' for every spike. Sentiment:
// 'point' and 'alert' for every keyword, and 'scored' messages in batches (at most
// scoredPerFlushMax every scoredFlushIntervalMs: a burst of chatter cannot flood the stream).
// Each stream unsubscribes from its view when the client goes; the SSE hub bounds the clients
// and their unsent bytes.
import type { ScoredMessage } from '../../../apps/sentiment/records.ts';
import type { SseClient } from '../sse-hub.ts';
import type { CryptoView } from './crypto-view.ts';
import type { SentimentView } from './sentiment-view.ts';

export function streamCrypto(view: CryptoView, client: SseClient, marketId: string | null): void {
  const unsubscribe = view.on({
    bar: (market, bar) => {
      if (market.id === marketId) client.send('bar', { market, bar });
    },
    spike: (spike) => client.send('spike', spike),
  });
  client.signal.addEventListener('abort', unsubscribe, { once: true });
  client.send('ready', { market: marketId });
}

export interface ScoredBatching {
  readonly flushIntervalMs: number;
  readonly perFlushMax: number;
}

export function streamSentiment(
  view: SentimentView,
  client: SseClient,
  keyword: string | null,
  batching: ScoredBatching,
): void {
  let pending: ScoredMessage[] = [];
  let dropped = 0;
  const unsubscribe = view.on({
    point: (summary, point) => client.send('point', { keyword: summary, point }),
    alert: (alert) => client.send('alert', alert),
    scored: (message) => {
      if (keyword !== null && message.keyword !== keyword) return;
      if (pending.length < batching.perFlushMax) pending.push(message);
      else dropped++;
    },
  });
  const timer = setInterval(() => {
    if (pending.length === 0) return;
    client.send('scored', { messages: pending, dropped });
    pending = [];
    dropped = 0;
  }, batching.flushIntervalMs);
  client.signal.addEventListener(
    'abort',
    () => {
      clearInterval(timer);
      unsubscribe();
    },
    { once: true },
  );
  client.send('ready', { keyword });
}

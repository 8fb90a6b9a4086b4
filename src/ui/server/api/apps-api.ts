// The apps pages' JSON API and event streams, over the read models (src/ui/server/apps):
//   GET /api/apps                                  both apps: running or not, how to start, figures
//   GET /api/apps/crypto/markets?q=&limit=         market index search
//   GET /api/apps/crypto/bars?market=              one market's kept bars as columns
//   GET /api/apps/crypto/spikes?market=&limit=     newest spikes first
//   GET /api/apps/sentiment/keywords               every keyword with its figures
//   GET /api/apps/sentiment/timeline?keyword=      one keyword's kept points as columns
//   GET /api/apps/sentiment/alerts?keyword=&limit= newest alerts first
//   GET /api/apps/sentiment/messages?keyword=&limit= newest scored messages first
//   GET /events/apps/crypto?market=                SSE: bar (that market), spike (all)
//   GET /events/apps/sentiment?keyword=            SSE: point, alert, scored (batched)
// Parameters are checked once, and a bad one is answered 400 naming it and its value.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { streamCrypto, streamSentiment } from '../apps/app-streams.ts';
import type { AppsReadModels } from '../apps/apps-read-models.ts';
import { appsLimits } from '../apps/limits.ts';
import { HttpError } from '../http-error.ts';
import type { SseHub } from '../sse-hub.ts';
import { optionalIntegerParam } from './query-params.ts';

/** Longest market id or keyword a request may name. */
const NAME_CHARS_MAX = 200;
const DEFAULT_LIMIT = 50;

export function isAppsPath(path: string): boolean {
  return path === '/api/apps' || path.startsWith('/api/apps/') || path.startsWith('/events/apps/');
}

function textParam(query: URLSearchParams, name: string, required: boolean, charsMax: number): string | null {
  const value = query.get(name);
  if (value === null || value === '') {
    if (required) throw new HttpError(400, `Missing query parameter '${name}'`);
    return null;
  }
  if (value.length > charsMax)
    throw new HttpError(
      400,
      `Invalid ${name} '${value.slice(0, 40)}…': at most ${charsMax} characters, got ${value.length}`,
    );
  return value;
}

function limitParam(query: URLSearchParams, max: number): number {
  return optionalIntegerParam(query.get('limit'), 'limit', 1, max) ?? Math.min(DEFAULT_LIMIT, max);
}

type AppsHandler = (apps: AppsReadModels, query: URLSearchParams) => unknown;

const handlers: Readonly<Record<string, AppsHandler>> = {
  '/api/apps': (apps) => ({
    apps: apps.status(),
    crypto: apps.crypto.stats,
    sentiment: apps.sentiment.stats,
  }),
  '/api/apps/crypto/markets': (apps, query) => {
    const q = textParam(query, 'q', false, appsLimits.marketQueryCharsMax) ?? '';
    return { query: q, ...apps.crypto.search(q, limitParam(query, appsLimits.marketsSearchLimitMax)) };
  },
  '/api/apps/crypto/bars': (apps, query) => {
    const market = textParam(query, 'market', true, NAME_CHARS_MAX) ?? '';
    const bars = apps.crypto.bars(market);
    if (bars === undefined)
      throw new HttpError(404, `Unknown market '${market}': no bars read from crypto.bars for it`);
    return {
      summary: apps.crypto.market(market),
      ...bars,
      spikes: apps.crypto.spikes(appsLimits.spikesMax, market),
    };
  },
  '/api/apps/crypto/spikes': (apps, query) => {
    const market = textParam(query, 'market', false, NAME_CHARS_MAX) ?? undefined;
    return { spikes: apps.crypto.spikes(limitParam(query, appsLimits.spikesMax), market) };
  },
  '/api/apps/sentiment/keywords': (apps) => ({ keywords: apps.sentiment.keywords() }),
  '/api/apps/sentiment/timeline': (apps, query) => {
    const keyword = textParam(query, 'keyword', true, NAME_CHARS_MAX) ?? '';
    const timeline = apps.sentiment.timeline(keyword);
    if (timeline === undefined)
      throw new HttpError(404, `Unknown keyword '${keyword}': no points read from social.sentiment for it`);
    return timeline;
  },
  '/api/apps/sentiment/alerts': (apps, query) => {
    const keyword = textParam(query, 'keyword', false, NAME_CHARS_MAX) ?? undefined;
    return { alerts: apps.sentiment.alerts(limitParam(query, appsLimits.alertsMax), keyword) };
  },
  '/api/apps/sentiment/messages': (apps, query) => {
    const keyword = textParam(query, 'keyword', false, NAME_CHARS_MAX) ?? undefined;
    return { messages: apps.sentiment.scored(limitParam(query, appsLimits.scoredMessagesMax), keyword) };
  },
};

/**
 * Answers one apps request: a JSON body to send, or null when it opened an event stream on `res`.
 */
export function handleAppsRequest(
  apps: AppsReadModels,
  events: SseHub,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): unknown {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  const query = url.searchParams;
  const stream = path === '/events/apps/crypto' || path === '/events/apps/sentiment';
  const handler = handlers[path];
  if (handler === undefined && !stream) throw new HttpError(404, `No such API: ${method} ${path}`);
  if (method !== 'GET') throw new HttpError(405, `${method} is not allowed on ${path}`);
  if (handler !== undefined) return handler(apps, query);
  if (path === '/events/apps/crypto') {
    const market = textParam(query, 'market', false, NAME_CHARS_MAX);
    streamCrypto(apps.crypto, events.open(req, res, 'apps.crypto'), market);
  } else {
    const keyword = textParam(query, 'keyword', false, NAME_CHARS_MAX);
    streamSentiment(apps.sentiment, events.open(req, res, 'apps.sentiment'), keyword, {
      flushIntervalMs: appsLimits.scoredFlushIntervalMs,
      perFlushMax: appsLimits.scoredPerFlushMax,
    });
  }
  return null;
}

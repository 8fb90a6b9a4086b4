// Reads X's filtered stream (GET /2/tweets/search/stream, X API v2, app bearer token) into the
// sentiment app. The rules are first set from the keywords (stream-rules.ts); then one long
// request is read line by line: a blank line is X's keep-alive (every 20 s), any other line is a
// JSON object (a post, or errors announcing a disconnect). Silence longer than the stall bound
// drops the connection. Reconnection follows X's schedule (reconnect-backoff.ts): at once after
// an established connection ends, then linearly longer after network errors, exponentially
// after HTTP errors, and from a minute after 429. 401 and 403 stop the stream: the token is
// wrong and retrying cannot fix it.
//
// Plain fetch rather than twitter-api-v2: that package fixes the API's address to
// https://api.x.com (API_V2_PREFIX, sent with the https module), so it cannot be pointed at a
// local server, which is the only way to test a client here.
import type { SocialMessage } from '../records.ts';
import { type RunningService, runningService } from '../running-service.ts';
import type { MessageSink } from '../slack/message-sink.ts';
import { wakeableSleep } from '../wakeable-sleep.ts';
import { type XReconnectPolicy, xLimits, xReconnectPolicy } from './limits.ts';
import { reconnectDelayMs, type XFailureKind } from './reconnect-backoff.ts';
import { type RuleOptions, syncStreamRules } from './stream-rules.ts';
import { parseStreamLine } from './tweet-message.ts';

export interface XStreamOptions extends RuleOptions {
  bearerToken: string;
  /** The watched keywords: one rule each. */
  keywords: readonly string[];
  sink: MessageSink;
  /** Default https://api.x.com */
  apiBaseUrl?: string;
  /** Default xReconnectPolicy (X's documented schedule); tests shorten it. */
  reconnectPolicy?: Partial<XReconnectPolicy>;
  /** Default xLimits.streamStallMs. */
  stallMs?: number;
  /** Told about every failure: connection errors, malformed lines, sink failures. */
  onError?: (error: Error) => void;
  /** Told before each reconnection wait. */
  onReconnect?: (info: { kind: XFailureKind | 'dropped'; attempt: number; delayMs: number }) => void;
  /** Told when a connection is open (HTTP 200). */
  onConnected?: () => void;
}

export interface XStreamStats {
  connections: number;
  tweets: number;
  keepAlives: number;
  /** Posts the sink did not take after xLimits.sinkAttemptsMax attempts (each also reported). */
  dropped: number;
}

export type RunningXStream = RunningService<XStreamStats>;

const streamFields = new URLSearchParams({
  'tweet.fields': 'created_at,author_id,lang',
  expansions: 'author_id',
  'user.fields': 'username',
});

class FatalStreamError extends Error {}

/** An HTTP answer other than 200 when opening the stream. */
class StreamHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startXStream(options: XStreamOptions): Promise<RunningXStream> {
  const baseUrl = options.apiBaseUrl ?? 'https://api.x.com';
  const policy: XReconnectPolicy = { ...xReconnectPolicy, ...options.reconnectPolicy };
  const stallMs = options.stallMs ?? xLimits.streamStallMs;
  const report = (e: unknown) => options.onError?.(e instanceof Error ? e : new Error(String(e)));
  const stats: XStreamStats = { connections: 0, tweets: 0, keepAlives: 0, dropped: 0 };

  await syncStreamRules({ baseUrl, bearerToken: options.bearerToken }, options.keywords, options);

  let closed = false;
  let current: AbortController | null = null;
  const { sleep, wake } = wakeableSleep();

  const deliver = async (message: SocialMessage) => {
    let backoffMs = xLimits.sinkBackoffMsInitial;
    for (let attempt = 1; ; attempt++) {
      try {
        await options.sink([message]);
        stats.tweets++;
        return;
      } catch (e) {
        // The stream cannot be re-read, so the post is held (and reading paused) while retrying.
        report(new Error(`Storing post ${message.id} failed (attempt ${attempt}): ${(e as Error).message}`));
        if (attempt >= xLimits.sinkAttemptsMax || closed) {
          stats.dropped++;
          return;
        }
        await sleep(backoffMs);
        backoffMs *= 2;
      }
    }
  };

  const handleLine = async (line: string) => {
    if (line.trim().length === 0) {
      stats.keepAlives++;
      return;
    }
    let parsed: ReturnType<typeof parseStreamLine>;
    try {
      parsed = parseStreamLine(line, Date.now());
    } catch {
      report(new Error(`Skipping a stream line that is not JSON: ${line.slice(0, 120)}`));
      return;
    }
    if (parsed.kind === 'tweet') await deliver(parsed.message);
    else if (parsed.kind === 'errors') report(new Error(`The X stream says: ${parsed.errors.join('; ')}`));
  };

  /** Opens the stream and reads it until it ends; throws if it could not be opened. */
  const readOnce = async (): Promise<void> => {
    const controller = new AbortController();
    current = controller;
    let stallTimer: NodeJS.Timeout | null = null;
    const armStall = () => {
      if (stallTimer !== null) clearTimeout(stallTimer);
      stallTimer = setTimeout(
        () => controller.abort(new Error(`no data nor keep-alive for ${stallMs} ms`)),
        stallMs,
      );
    };
    try {
      armStall();
      const url = new URL(`/2/tweets/search/stream?${streamFields}`, baseUrl);
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${options.bearerToken}` },
        signal: controller.signal,
      });
      if (res.status !== 200) {
        const body = (await res.text().catch(() => '')).slice(0, xLimits.errorBodyCharsMax);
        const message = `GET /2/tweets/search/stream answered ${res.status}: ${body}`;
        if (res.status === 401 || res.status === 403) throw new FatalStreamError(message);
        throw new StreamHttpError(res.status, message);
      }
      stats.connections++;
      options.onConnected?.();
      if (res.body === null) return;
      const decoder = new TextDecoder();
      let pending = '';
      for await (const chunk of res.body) {
        armStall();
        pending += decoder.decode(chunk, { stream: true });
        let newline = pending.indexOf('\n');
        while (newline !== -1) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          // Reading pauses while a post is stored: the sink's pace is the stream's pace.
          if (stallTimer !== null) clearTimeout(stallTimer);
          await handleLine(line);
          armStall();
          newline = pending.indexOf('\n');
        }
        if (pending.length > xLimits.streamLineBytesMax)
          throw new Error(`a stream line exceeds ${xLimits.streamLineBytesMax} bytes without a newline`);
      }
    } finally {
      if (stallTimer !== null) clearTimeout(stallTimer);
      current = null;
    }
  };

  const run = async () => {
    let failures: { kind: XFailureKind; attempt: number } | null = null;
    while (!closed) {
      let connected = false;
      const before = stats.connections;
      try {
        await readOnce();
        connected = stats.connections > before;
        if (!closed) report(new Error('The X stream ended; reconnecting'));
      } catch (e) {
        if (closed) return;
        if (e instanceof FatalStreamError) throw e;
        connected = stats.connections > before;
        report(e);
        if (!connected) {
          const kind: XFailureKind =
            e instanceof StreamHttpError ? (e.status === 429 ? 'rate-limit' : 'http') : 'network';
          failures =
            failures !== null && failures.kind === kind
              ? { kind, attempt: failures.attempt + 1 }
              : { kind, attempt: 1 };
          const delayMs = reconnectDelayMs(kind, failures.attempt, policy);
          options.onReconnect?.({ kind, attempt: failures.attempt, delayMs });
          await sleep(delayMs);
          continue;
        }
      }
      if (closed) return;
      // An established connection dropped: reconnect at once, and start the backoff afresh.
      failures = null;
      options.onReconnect?.({ kind: 'dropped', attempt: 1, delayMs: 0 });
    }
  };

  const done = run();
  done.catch(report);

  return runningService(stats, done, () => {
    closed = true;
    wake();
    const c: AbortController | null = current;
    c?.abort(new Error('closed'));
  });
}

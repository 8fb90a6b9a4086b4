// Where alerts are posted: an incoming webhook (@slack/webhook) or chat.postMessage with a bot
// token (@slack/web-api). Both clients are told not to retry, so the poster owns the retry
// policy; failures come back as SlackPostError saying whether trying again can help and, for
// HTTP 429, how long Slack asked to wait (its Retry-After header, in seconds).
import { WebAPIPlatformError, WebAPIRateLimitedError, WebClient } from '@slack/web-api';
import { type FetchFunction, IncomingWebhook, IncomingWebhookHTTPError } from '@slack/webhook';
import type { SlackAlertMessage } from './alert-message.ts';

export type SlackAlertDestination =
  | { kind: 'webhook'; url: string }
  | {
      kind: 'chat';
      token: string;
      /** Channel id (or name) the bot is a member of. */
      channel: string;
      /** Default https://slack.com/api/ */
      slackApiUrl?: string;
    };

export class SlackPostError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
    readonly retryAfterMs: number | null,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SlackPostError';
  }
}

export interface SlackAlertTarget {
  readonly description: string;
  /** Resolves once Slack accepted the message; rejects with a SlackPostError. */
  post(message: SlackAlertMessage): Promise<void>;
}

/** Platform errors that are Slack's trouble, not the request's: worth another try. */
const transientPlatformErrors: ReadonlySet<string> = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number.parseInt(header, 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

function webhookTarget(url: string, timeoutMs: number): SlackAlertTarget {
  // The webhook client does not expose the 429's headers, so a fetch wrapper keeps Retry-After.
  let lastRetryAfter: string | null = null;
  const fetchKeepingRetryAfter: FetchFunction = async (input, init) => {
    const response = await fetch(input, init);
    lastRetryAfter = response.headers.get('retry-after');
    return response;
  };
  const hook = new IncomingWebhook(url, {
    fetch: fetchKeepingRetryAfter,
    timeout: timeoutMs,
    retryConfig: { retries: 0 },
  });
  const where = new URL(url).host;
  return {
    description: `incoming webhook at ${where}`,
    post: async (message) => {
      lastRetryAfter = null;
      try {
        await hook.send({ text: message.text, blocks: message.blocks });
      } catch (e) {
        if (e instanceof IncomingWebhookHTTPError) {
          const status = e.statusCode;
          const retriable = status === 429 || status >= 500;
          throw new SlackPostError(
            `Slack webhook at ${where} answered ${status}: ${String(e.body).slice(0, 200)}`,
            retriable,
            status === 429 ? retryAfterMs(lastRetryAfter) : null,
            { cause: e },
          );
        }
        // Network failures and timeouts.
        throw new SlackPostError(
          `Posting to the Slack webhook at ${where} failed: ${(e as Error).message}`,
          true,
          null,
          {
            cause: e,
          },
        );
      }
    },
  };
}

function chatTarget(
  token: string,
  channel: string,
  slackApiUrl: string | undefined,
  timeoutMs: number,
): SlackAlertTarget {
  const client = new WebClient(token, {
    ...(slackApiUrl === undefined ? {} : { slackApiUrl }),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
  });
  return {
    description: `chat.postMessage to ${channel}`,
    post: async (message) => {
      try {
        await client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
        });
      } catch (e) {
        if (e instanceof WebAPIRateLimitedError)
          throw new SlackPostError(
            `chat.postMessage to ${channel} was rate limited`,
            true,
            e.retryAfter * 1000,
            {
              cause: e,
            },
          );
        if (e instanceof WebAPIPlatformError) {
          const code = e.data.error;
          throw new SlackPostError(
            `chat.postMessage to ${channel} failed: ${code}`,
            transientPlatformErrors.has(code),
            null,
            { cause: e },
          );
        }
        const status = (e as { statusCode?: unknown }).statusCode;
        const retriable = typeof status !== 'number' || status >= 500;
        throw new SlackPostError(
          `chat.postMessage to ${channel} failed: ${(e as Error).message}`,
          retriable,
          null,
          {
            cause: e,
          },
        );
      }
    },
  };
}

export function slackAlertTarget(destination: SlackAlertDestination, timeoutMs = 10_000): SlackAlertTarget {
  if (destination.kind === 'webhook') return webhookTarget(destination.url, timeoutMs);
  return chatTarget(destination.token, destination.channel, destination.slackApiUrl, timeoutMs);
}

// Reads Slack channels by polling conversations.history, for workspaces that cannot expose the
// Events API endpoint. Channel names are resolved to ids once with conversations.list. Each
// channel keeps a cursor: `oldest`, the ts of the newest message already handed to the sink
// (Slack returns only messages after it), and, while a backlog spans more pages than one poll
// reads, the page cursor to continue from, so a large backlog is read over several polls without
// a gap. A cursor moves only after the sink stored the page, so a failed write is read again.
// Rate limits (HTTP 429 with Retry-After) are left to @slack/web-api, which waits as told and
// retries under `retryConfig`.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type RetryOptions, WebClient } from '@slack/web-api';
import { slackLimits } from './limits.ts';
import { compareSlackTs, slackMessageToSocial } from './message-event.ts';
import type { MessageSink } from './message-sink.ts';

export interface SlackChannelCursor {
  /** Messages after this ts are read; '0' reads the whole history. */
  oldest: string;
  /** The newest ts seen in the backlog being read (it becomes `oldest` when the backlog is done). */
  newestSeen?: string;
  /** conversations.history cursor of the next page of that backlog. */
  pageCursor?: string;
}

export interface SlackHistoryPollerOptions {
  /** A bot or user token with channels:history (and groups:history for private channels). */
  token: string;
  /** Channel ids (C…, G…) or names (with or without '#'). */
  channels: readonly string[];
  sink: MessageSink;
  /** Default https://slack.com/api/ */
  slackApiUrl?: string;
  /** Default 60 s; at least slackLimits.pollIntervalMsMin. */
  pollIntervalMs?: number;
  /** Where a channel without a cursor starts: 'now' (default) or a time in ms since the epoch. */
  since?: 'now' | number;
  /** Cursors kept from an earlier run, by channel id (see cursors()). */
  cursors?: Readonly<Record<string, SlackChannelCursor>>;
  /**
   * A JSON file the cursors are read from at start (over `cursors`) and written to after every
   * poll round, so a restarted poller continues where it stopped instead of from `since`.
   */
  stateFile?: string;
  /** The web client's retry policy (rate limits and server errors). Default: 5 retries in 5 minutes. */
  retryConfig?: RetryOptions;
  pageSize?: number;
  /** Told about failed polls; the poller keeps polling. */
  onError?: (error: Error) => void;
  /** Called after every completed poll round (tests and status reporting). */
  onPoll?: () => void;
}

export interface RunningSlackHistoryPoller {
  /** Resolved channel ids, in the order given. */
  readonly channelIds: readonly string[];
  /** The current cursor of each channel, to persist and pass back as `cursors` on restart. */
  cursors(): Record<string, SlackChannelCursor>;
  /** Polls every channel once now (also what the timer does). */
  pollOnce(): Promise<void>;
  close(): Promise<void>;
}

interface ConversationRecord {
  id?: string;
  name?: string;
}

const channelIdPattern = /^[CGD][A-Z0-9]{2,}$/;

async function resolveChannels(
  client: WebClient,
  wanted: readonly string[],
  pageSize: number,
): Promise<string[]> {
  const names = wanted.map((c) => c.replace(/^#/, ''));
  if (names.every((n) => channelIdPattern.test(n))) return names;
  const byName = new Map<string, string>();
  const ids = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < slackLimits.channelListPagesMax; page++) {
    const res = await client.conversations.list({
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: pageSize,
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const c of (res.channels ?? []) as ConversationRecord[]) {
      if (c.id === undefined) continue;
      ids.add(c.id);
      if (c.name !== undefined) byName.set(c.name, c.id);
    }
    cursor = res.response_metadata?.next_cursor;
    if (cursor === undefined || cursor === '') break;
  }
  return names.map((n) => {
    const id = byName.get(n) ?? (ids.has(n) || channelIdPattern.test(n) ? n : undefined);
    if (id === undefined)
      throw new Error(
        `Cannot poll Slack channel '${n}': conversations.list has no channel of that name the token can see`,
      );
    return id;
  });
}

async function readCursorFile(path: string): Promise<Record<string, SlackChannelCursor>> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { version?: unknown; cursors?: unknown };
    if (parsed.version !== 1 || typeof parsed.cursors !== 'object' || parsed.cursors === null)
      throw new Error(`expected { version: 1, cursors: {...} }, got ${JSON.stringify(parsed).slice(0, 100)}`);
    return parsed.cursors as Record<string, SlackChannelCursor>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`Cannot read the Slack poller's state file ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** Written to a temporary file and renamed, so a crash leaves the old or the new cursors. */
async function writeCursorFile(path: string, cursors: Record<string, SlackChannelCursor>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify({ version: 1, cursors }));
  await rename(`${path}.tmp`, path);
}

function sinceTs(since: 'now' | number): string {
  const ms = since === 'now' ? Date.now() : since;
  return (ms / 1000).toFixed(6);
}

export async function startSlackHistoryPoller(
  options: SlackHistoryPollerOptions,
): Promise<RunningSlackHistoryPoller> {
  if (options.channels.length === 0 || options.channels.length > slackLimits.polledChannelsMax)
    throw new RangeError(
      `Cannot poll Slack: between 1 and ${slackLimits.polledChannelsMax} channels are needed, got ${options.channels.length}`,
    );
  const pollIntervalMs = options.pollIntervalMs ?? 60_000;
  if (pollIntervalMs < slackLimits.pollIntervalMsMin)
    throw new RangeError(
      `Cannot poll Slack every ${pollIntervalMs} ms: at least ${slackLimits.pollIntervalMsMin} ms is allowed`,
    );
  const pageSize = Math.min(
    options.pageSize ?? slackLimits.historyPageSizeMax,
    slackLimits.historyPageSizeMax,
  );
  const client = new WebClient(options.token, {
    ...(options.slackApiUrl === undefined ? {} : { slackApiUrl: options.slackApiUrl }),
    retryConfig: options.retryConfig ?? { retries: 5, factor: 2, minTimeout: 1_000, maxTimeout: 60_000 },
    rejectRateLimitedCalls: false,
  });
  const channelIds = await resolveChannels(client, options.channels, pageSize);
  const start = sinceTs(options.since ?? 'now');
  const saved = options.stateFile === undefined ? {} : await readCursorFile(options.stateFile);
  const cursors = new Map<string, SlackChannelCursor>(
    channelIds.map((id) => [id, { ...(saved[id] ?? options.cursors?.[id] ?? { oldest: start }) }]),
  );
  const snapshot = () => Object.fromEntries([...cursors].map(([id, c]) => [id, { ...c }]));

  const pollChannel = async (channel: string) => {
    const cursor = cursors.get(channel);
    if (cursor === undefined) return;
    for (let page = 0; page < slackLimits.historyPagesPerPollMax; page++) {
      const res = await client.conversations.history({
        channel,
        oldest: cursor.oldest,
        limit: pageSize,
        ...(cursor.pageCursor === undefined ? {} : { cursor: cursor.pageCursor }),
      });
      const raw = (res.messages ?? []) as unknown[];
      const messages = raw
        .map((m) => slackMessageToSocial(m, channel))
        .filter((m) => m !== null)
        .sort((a, b) => a.timestampMs - b.timestampMs);
      await options.sink(messages);
      // Every message counts for the cursor, skipped ones (bots, joins) too.
      for (const m of raw) {
        const ts = (m as { ts?: unknown }).ts;
        if (
          typeof ts === 'string' &&
          (cursor.newestSeen === undefined || compareSlackTs(ts, cursor.newestSeen) > 0)
        )
          cursor.newestSeen = ts;
      }
      const next = res.response_metadata?.next_cursor;
      if (res.has_more === true && next !== undefined && next !== '') {
        cursor.pageCursor = next;
        continue;
      }
      if (cursor.newestSeen !== undefined) cursor.oldest = cursor.newestSeen;
      delete cursor.newestSeen;
      delete cursor.pageCursor;
      return;
    }
  };

  let closed = false;
  let running: Promise<void> = Promise.resolve();
  const pollOnce = (): Promise<void> => {
    // One round at a time: a slow round (rate limits) delays the next instead of overlapping it.
    running = running.then(async () => {
      if (closed) return;
      for (const channel of channelIds) {
        try {
          await pollChannel(channel);
        } catch (e) {
          const error = e instanceof Error ? e : new Error(String(e));
          options.onError?.(
            new Error(`Polling Slack channel ${channel} failed: ${error.message}`, { cause: error }),
          );
        }
      }
      if (options.stateFile !== undefined) {
        try {
          await writeCursorFile(options.stateFile, snapshot());
        } catch (e) {
          options.onError?.(
            new Error(`Saving Slack cursors to ${options.stateFile} failed: ${(e as Error).message}`),
          );
        }
      }
      options.onPoll?.();
    });
    return running;
  };

  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    timer = setTimeout(() => {
      void pollOnce().then(() => {
        if (!closed) schedule();
      });
    }, pollIntervalMs);
  };
  void pollOnce().then(() => {
    if (!closed) schedule();
  });

  return {
    channelIds,
    cursors: snapshot,
    pollOnce,
    close: async () => {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      await running;
    },
  };
}

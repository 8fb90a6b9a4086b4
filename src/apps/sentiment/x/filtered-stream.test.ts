// The X stream client against a local server speaking the filtered-stream format: rules
// endpoints, newline-delimited JSON posts, keep-alive newlines, dropped connections and errors.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SocialMessage } from '../records.ts';
import { type RunningXStream, startXStream, type XStreamOptions } from './filtered-stream.ts';

interface Rule {
  id: string;
  value: string;
  tag: string;
}

type StreamHandler = (req: IncomingMessage, res: ServerResponse, connection: number) => void;

interface FakeX {
  url: string;
  rules: Rule[];
  ruleRequests: { method: string; body: unknown; auth: string | undefined }[];
  streamRequests: { url: string; auth: string | undefined }[];
  onStream: StreamHandler;
  /** Stream requests since the test began. */
  connections: number;
}

function tweetLine(id: string, text: string, tag: string, username = 'alice'): string {
  return `${JSON.stringify({
    data: {
      id,
      text,
      author_id: `u-${username}`,
      created_at: '2026-11-26T10:00:00.000Z',
      edit_history_tweet_ids: [id],
    },
    includes: { users: [{ id: `u-${username}`, name: username.toUpperCase(), username }] },
    matching_rules: [{ id: '1', tag }],
  })}\r\n`;
}

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('X filtered stream', () => {
  let server: Server;
  let x: FakeX;
  let streams: RunningXStream[] = [];
  let nextRuleId = 100;

  before(async () => {
    x = { url: '', rules: [], ruleRequests: [], streamRequests: [], onStream: () => {}, connections: 0 };
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (path === '/2/tweets/search/stream/rules') {
          const body =
            chunks.length === 0 ? undefined : (JSON.parse(Buffer.concat(chunks).toString()) as unknown);
          x.ruleRequests.push({ method: req.method ?? '', body, auth: req.headers.authorization });
          const b = body as
            | { add?: { value: string; tag: string }[]; delete?: { ids: string[] } }
            | undefined;
          if (b?.delete !== undefined) x.rules = x.rules.filter((r) => !b.delete?.ids.includes(r.id));
          const created = (b?.add ?? []).map((r) => ({ id: String(nextRuleId++), ...r }));
          x.rules.push(...created);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify(
              req.method === 'GET'
                ? { data: x.rules, meta: { sent: '2026-11-26T10:00:00.000Z', result_count: x.rules.length } }
                : {
                    data: created,
                    meta: { sent: '2026-11-26T10:00:00.000Z', summary: { created: created.length } },
                  },
            ),
          );
          return;
        }
        if (path === '/2/tweets/search/stream') {
          x.streamRequests.push({ url: req.url ?? '', auth: req.headers.authorization });
          x.onStream(req, res, ++x.connections);
          return;
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    x.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of streams) await s.close();
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  });
  beforeEach(async () => {
    for (const s of streams) await s.close();
    streams = [];
    x.rules = [];
    x.ruleRequests = [];
    x.streamRequests = [];
    x.connections = 0;
  });

  const start = async (got: SocialMessage[], extra: Partial<XStreamOptions> = {}) => {
    const s = await startXStream({
      bearerToken: 'AAAA-bearer',
      keywords: ['acme'],
      apiBaseUrl: x.url,
      sink: async (m) => {
        got.push(...m);
      },
      reconnectPolicy: {
        networkBackoffMsStep: 10,
        networkBackoffMsMax: 50,
        httpBackoffMsInitial: 20,
        httpBackoffMsMax: 100,
        rateLimitBackoffMsInitial: 40,
        rateLimitBackoffMsMax: 200,
      },
      ...extra,
    });
    streams.push(s);
    return s;
  };

  it('replaces rules that are not the keywords with one tagged rule per keyword', async () => {
    x.rules = [
      { id: '1', value: 'cats has:images', tag: 'cats' },
      { id: '2', value: 'acme -is:retweet', tag: 'acme' },
    ];
    x.onStream = (_req, res) => res.writeHead(200).write('\r\n');
    await start([], { keywords: ['acme', 'big deal'] });
    assert.deepEqual(
      x.ruleRequests.map((r) => [r.method, r.body]),
      [
        ['GET', undefined],
        ['POST', { delete: { ids: ['1'] } }],
        ['POST', { add: [{ value: '"big deal" -is:retweet', tag: 'big deal' }] }],
      ],
    );
    assert.ok(x.ruleRequests.every((r) => r.auth === 'Bearer AAAA-bearer'));
    assert.deepEqual(x.rules.map((r) => r.tag).sort(), ['acme', 'big deal']);
  });

  it('turns posts into SocialMessages tagged with their rule, across chunk boundaries and keep-alives', async () => {
    const line = tweetLine('1860000000000000001', 'acme shipped a great update', 'acme');
    x.onStream = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('\r\n');
      res.write(line.slice(0, 40));
      setTimeout(() => {
        res.write(line.slice(40));
        res.write('\r\n\r\n');
        res.write(tweetLine('1860000000000000002', 'acme support is slow', 'acme', 'bob'));
      }, 20);
    };
    const got: SocialMessage[] = [];
    const s = await start(got);
    await until('two posts arrive', () => got.length === 2);
    assert.deepEqual(got[0], {
      source: 'x',
      channel: 'acme',
      user: 'alice',
      text: 'acme shipped a great update',
      id: '1860000000000000001',
      timestampMs: Date.parse('2026-11-26T10:00:00.000Z'),
    });
    assert.equal(got[1]?.user, 'bob');
    assert.ok(s.stats().keepAlives >= 3, `keep-alives counted: ${s.stats().keepAlives}`);
    const asked = new URL(x.streamRequests[0]?.url ?? '', 'http://x').searchParams;
    assert.equal(asked.get('expansions'), 'author_id');
    assert.equal(x.streamRequests[0]?.auth, 'Bearer AAAA-bearer');
  });

  it('reconnects at once after an established connection drops, and reads on', async () => {
    x.onStream = (_req, res, n) => {
      res.writeHead(200);
      res.write(tweetLine(`id-${n}`, `acme post ${n}`, 'acme'));
      // The first connection dies mid-stream, as when X restarts a server.
      if (n === 1) setTimeout(() => res.destroy(), 20);
    };
    const got: SocialMessage[] = [];
    const reconnects: string[] = [];
    const s = await start(got, { onReconnect: (r) => reconnects.push(`${r.kind}:${r.delayMs}`) });
    await until('the post of the second connection arrives', () => got.length === 2);
    assert.deepEqual(
      got.map((m) => m.id),
      ['id-1', 'id-2'],
    );
    assert.equal(s.stats().connections, 2);
    assert.deepEqual(reconnects, ['dropped:0']);
  });

  it('backs off exponentially on HTTP errors and longer on 429, then connects', async () => {
    const statuses = [503, 503, 429];
    x.onStream = (_req, res, n) => {
      const status = statuses[n - 1] ?? 200;
      if (status !== 200) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ title: 'Service Unavailable', status }));
        return;
      }
      res.writeHead(200);
      res.write(tweetLine('after-errors', 'acme is back', 'acme'));
    };
    const got: SocialMessage[] = [];
    const reconnects: string[] = [];
    const errors: string[] = [];
    await start(got, {
      onReconnect: (r) => reconnects.push(`${r.kind}:${r.attempt}:${r.delayMs}`),
      onError: (e) => errors.push(e.message),
    });
    await until('the post after the errors arrives', () => got.length === 1);
    assert.deepEqual(reconnects, ['http:1:20', 'http:2:40', 'rate-limit:1:40']);
    assert.match(errors[0] ?? '', /answered 503/);
  });

  it('backs off linearly when the connection fails below HTTP', async () => {
    x.onStream = (req, res, n) => {
      // The first three attempts lose their connection before any answer: a network error.
      if (n <= 3) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200);
      res.write(tweetLine('after-network', 'acme over a good network', 'acme'));
    };
    const got: SocialMessage[] = [];
    const reconnects: string[] = [];
    await start(got, { onReconnect: (r) => reconnects.push(`${r.kind}:${r.attempt}:${r.delayMs}`) });
    await until('the post after the network errors arrives', () => got.length === 1);
    assert.deepEqual(reconnects, ['network:1:10', 'network:2:20', 'network:3:30']);
  });

  it('drops a silent connection after the stall bound and reconnects', async () => {
    x.onStream = (_req, res, n) => {
      res.writeHead(200);
      if (n === 1) return; // headers, then silence: no keep-alives
      res.write(tweetLine('after-stall', 'acme after a stall', 'acme'));
    };
    const got: SocialMessage[] = [];
    const errors: string[] = [];
    await start(got, { stallMs: 150, onError: (e) => errors.push(e.message) });
    await until('the post after the stall arrives', () => got.length === 1);
    assert.ok(
      errors.some((e) => /no data nor keep-alive for 150 ms/.test(e)),
      errors.join(' | '),
    );
  });

  it('stops with an error on 401, since retrying cannot fix a bad token', async () => {
    x.onStream = (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ title: 'Unauthorized', status: 401 }));
    };
    const s = await start([]);
    await assert.rejects(s.done, /answered 401/);
  });

  it('reports operational-disconnect lines and lines that are not JSON without stopping', async () => {
    x.onStream = (_req, res) => {
      res.writeHead(200);
      res.write('not json\r\n');
      res.write(
        `${JSON.stringify({ errors: [{ title: 'operational-disconnect', detail: 'This stream has been disconnected for operational reasons.' }] })}\r\n`,
      );
      res.write(tweetLine('still-here', 'acme still here', 'acme'));
    };
    const got: SocialMessage[] = [];
    const errors: string[] = [];
    await start(got, { onError: (e) => errors.push(e.message) });
    await until('the post arrives', () => got.length === 1);
    assert.ok(errors.some((e) => /not JSON: not json/.test(e)));
    assert.ok(errors.some((e) => /operational-disconnect: This stream has been disconnected/.test(e)));
  });
});

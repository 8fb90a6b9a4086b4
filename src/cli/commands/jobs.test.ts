import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningBroker, startBroker } from '../../broker/broker.ts';
import { JobRegistry } from '../../observability/job-registry.ts';
import { pushedCountsJob } from '../../ui/testing/pushed-counts-job.ts';
import { runCli } from '../testing/run-cli.ts';

const JOB = 'pushed-counts';
const SPARE = 'spare-counts';

/** Polls `check` every 50 ms until it holds, failing after `ms`. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  for (let waited = 0; !(await check()); waited += 50) {
    if (waited >= ms) assert.fail(`${what} did not happen within ${ms} ms`);
    await sleep(50);
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('sluice jobs', () => {
  let broker: RunningBroker;
  let jobs: JobRegistry;
  let h: string[];
  let address: string;
  before(async () => {
    jobs = new JobRegistry();
    jobs.define(pushedCountsJob(JOB));
    jobs.define(pushedCountsJob(SPARE));
    broker = await startBroker({ http: '127.0.0.1:0', jobs });
    address = new URL(broker.http!.url).host;
    h = ['--http', address];
  });
  after(async () => {
    await jobs.close();
    await broker?.close();
  });

  it('lists defined jobs that have not run as idle, in JSON and as a table', async () => {
    const json = await runCli(['jobs', 'list', '--json', ...h]);
    assert.equal(json.code, 0, json.stderr);
    const views = JSON.parse(json.stdout) as { name: string; state: string; operators: unknown[] }[];
    assert.deepEqual(
      views.map((v) => [v.name, v.state, v.operators.length]),
      [
        [JOB, 'idle', 0],
        [SPARE, 'idle', 0],
      ],
    );
    const table = await runCli(['jobs', 'list', ...h]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(
      table.stdout,
      /^JOB\s+STATE\s+UPTIME\s+RECORDS-IN\s+RECORDS-OUT\s+WATERMARK-LAG\s+LAST-CHECKPOINT\n/,
    );
    assert.match(table.stdout, new RegExp(`\\n${SPARE}\\s+idle\\s+-\\s+0\\s+0\\s+-\\s+-\\n`));
    const idle = await runCli(['jobs', 'describe', SPARE, ...h]);
    assert.equal(idle.code, 0, idle.stderr);
    assert.match(idle.stdout, new RegExp(`has not run; start it with \`sluice jobs start ${SPARE}\``));
  });

  it('starts a job, then lists and describes it running with records, watermarks and checkpoints', async () => {
    const started = await runCli(['jobs', 'start', JOB, ...h]);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, new RegExp(`^started job '${JOB}': running on 1 executor\\n  stage 0`));
    assert.equal(jobs.get(JOB).state, 'running');
    // The job checkpoints every second and the sampler rates operators every second: wait for both.
    await until('a checkpoint and a measured rate', async () => {
      const run = await runCli(['jobs', 'describe', JOB, '--json', ...h]);
      const view = JSON.parse(run.stdout) as {
        checkpoints: unknown[];
        operators: { name: string; recordsOutPerSec: number }[];
      };
      const source = view.operators.filter((o) => o.name === 'source:events');
      return view.checkpoints.length > 0 && source.length > 0 && source.every((o) => o.recordsOutPerSec > 0);
    });

    const table = await runCli(['jobs', 'list', ...h]);
    assert.equal(table.code, 0, table.stderr);
    const row = table.stdout.split('\n').find((line) => line.startsWith(`${JOB} `));
    assert.ok(row !== undefined, table.stdout);
    const [, state, uptime, recordsIn, recordsOut, lag, checkpoint] = row.split(/\s+/);
    assert.equal(state, 'running');
    assert.match(uptime!, /^\d+(ms|s)$/);
    assert.ok(Number(recordsIn) > 0, `records in: ${row}`);
    assert.ok(Number(recordsOut) >= 0 && Number(recordsOut) <= Number(recordsIn), row);
    assert.match(lag!, /^\d+(ms|s)$/);
    assert.match(checkpoint!, /^#\d+$/);

    const human = await runCli(['jobs', 'describe', JOB, ...h]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`^Job ${JOB}  state running  executors 1  uptime \\S+`));
    assert.match(human.stdout, /\nPlan:\n {2}stage 0 ×2: source:events → filter#1 → keyBy#2\n/);
    assert.match(human.stdout, /OPERATOR\s+TASK\s+EXECUTOR\s+RECORDS-IN\s+RECORDS-OUT\s+IN\/S\s+OUT\/S/);
    // Sources come first, in the order the job defined its operators.
    const operators = [...human.stdout.matchAll(/^(source:events|filter#1|window\(tumbling\)#3|sink#4)\s/gm)];
    assert.deepEqual(
      [...new Set(operators.map((m) => m[1]))],
      ['source:events', 'filter#1', 'window(tumbling)#3', 'sink#4'],
    );
    // The source rows show a rate the sampler measured, not a made-up zero.
    const sourceRow = human.stdout.split('\n').find((l) => l.startsWith('source:events'));
    const outPerSec = Number(sourceRow?.split(/\s+/)[6]);
    assert.ok(outPerSec > 0, `source rate: ${sourceRow}`);
    assert.match(human.stdout, /TASK\s+EXECUTOR\s+WATERMARK\s+LAG\s+IDLE\s+ENDED\s+BACKPRESSURED/);
    assert.match(
      human.stdout,
      /\n0\/0\s+0\s+\d{4}-\d\d-\d\dT\S+Z\s+\d+(ms|s)\s+(yes|no)\s+no\s+\S+ \(\d+%\)\n/,
    );
    assert.match(
      human.stdout,
      /CHECKPOINT\s+STARTED\s+AGE\s+DURATION-MS\s+STATE-BYTES\s+FINAL\n\s*\d+\s+\d{4}-/,
    );

    const json = await runCli(['jobs', 'describe', JOB, '--json', ...h]);
    assert.equal(json.code, 0, json.stderr);
    const view = JSON.parse(json.stdout);
    assert.equal(view.name, JOB);
    assert.equal(view.state, 'running');
    assert.ok(view.tasks.length === 4 && view.checkpoints.length > 0, json.stdout);
  });

  it('refuses to start a running job, giving the broker reason', async () => {
    const again = await runCli(['jobs', 'start', JOB, ...h]);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      new RegExp(`^sluice jobs: Cannot start job '${JOB}': it is running \\(HTTP 409\\); see its state with`),
    );
  });

  it('fails naming the known jobs when the job does not exist', async () => {
    for (const sub of ['describe', 'start', 'stop']) {
      const run = await runCli(['jobs', sub, 'no-such-job', ...h]);
      assert.equal(run.code, 1, `${sub}: ${run.stderr}`);
      assert.equal(
        run.stderr,
        `sluice jobs: Cannot ${sub} job 'no-such-job': the broker at ${address} has no such job; known jobs: ${JOB}, ${SPARE}\n`,
      );
    }
  });

  it('stops a running job and waits until it has stopped, keeping its figures', async () => {
    const stopped = await runCli(['jobs', 'stop', JOB, ...h]);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(
      stopped.stdout,
      new RegExp(`^job '${JOB}' stopped: [1-9]\\d* records in from sources, \\d+ out to sinks\\n$`),
    );
    assert.equal(jobs.get(JOB).state, 'stopped');

    const list = await runCli(['jobs', 'list', '--json', ...h]);
    const view = (JSON.parse(list.stdout) as { name: string; state: string; operators: unknown[] }[]).find(
      (v) => v.name === JOB,
    );
    assert.equal(view?.state, 'stopped');
    assert.ok((view?.operators.length ?? 0) > 0, 'a stopped job keeps its last figures');
    const described = await runCli(['jobs', 'describe', JOB, ...h]);
    assert.match(described.stdout, /state stopped {2}executors 1 {2}ran \S+/);
    // An ended job has no rates: dashes, not zeros that would read as a stall.
    assert.match(described.stdout, /\nsource:events\s+0\s+0\s+0\s+[1-9]\d*\s+-\s+-\s/);

    const twice = await runCli(['jobs', 'stop', JOB, ...h]);
    assert.equal(twice.code, 1);
    assert.match(
      twice.stderr,
      /Cannot stop job 'pushed-counts': it is stopped \(HTTP 409\); see its state with `sluice jobs describe/,
    );
  });

  it('returns as soon as the broker accepts a stop with --no-wait', async () => {
    assert.equal((await runCli(['jobs', 'start', SPARE, ...h])).code, 0);
    const run = await runCli(['jobs', 'stop', SPARE, '--no-wait', '--json', ...h]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).state, 'stopping');
    assert.equal((await jobs.ended(SPARE)).state, 'stopped');
  });

  it('takes the address from $SLUICE_HTTP when --http is not given', async () => {
    const saved = process.env.SLUICE_HTTP;
    process.env.SLUICE_HTTP = address;
    try {
      const run = await runCli(['jobs', 'list', '--json']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).length, 2);
    } finally {
      if (saved === undefined) delete process.env.SLUICE_HTTP;
      else process.env.SLUICE_HTTP = saved;
    }
  });

  it('says how to start the broker when nothing listens at the address', async () => {
    // Port 1 on loopback: nothing listens there, so the connect is refused at once.
    const run = await runCli(['jobs', 'list', '--http', '127.0.0.1:1']);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      "sluice jobs: Cannot reach the broker's HTTP API at 127.0.0.1:1 (ECONNREFUSED): start it with " +
        '`sluice broker --http 127.0.0.1:1`, or pass --http HOST:PORT of a running broker\n',
    );
  });

  it('gives up after --timeout-ms when the address accepts but never answers', async () => {
    const silent = createServer(() => {});
    const at = await listen(silent);
    try {
      const run = await runCli(['jobs', 'list', '--http', at, '--timeout-ms', '200']);
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        new RegExp(
          `HTTP API at ${at} did not answer GET /api/jobs within 200 ms: check the broker, or raise --timeout-ms`,
        ),
      );
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('says the address is not a Sluice broker when it answers something else', async () => {
    const other = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>not here</h1>');
    });
    const at = await listen(other);
    try {
      const run = await runCli(['jobs', 'describe', 'x', '--http', at]);
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        /answered GET \/api\/jobs\/x with 404 and no JSON: is it a Sluice broker's HTTP API\?/,
      );
    } finally {
      other.close();
    }
  });

  it('exits 2 with a message on bad usage', async () => {
    const cases = [
      ['jobs'],
      ['jobs', 'frobnicate'],
      ['jobs', 'describe'],
      ['jobs', 'stop', 'a', 'b'],
      ['jobs', 'list', 'extra'],
      ['jobs', 'list', '--no-wait'],
      ['jobs', 'list', '--bogus'],
      ['jobs', 'list', '--timeout-ms', '0'],
      ['jobs', 'list', '--http', 'nohostport'],
      ['jobs', 'list', '--http', '127.0.0.1:70000'],
    ];
    for (const argv of cases) {
      const run = await runCli([...argv, ...(argv.includes('--http') ? [] : h)]);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /^sluice jobs: \S/);
    }
  });

  it('is listed by sluice --help and explains itself with --help', async () => {
    assert.match((await runCli(['--help'])).stdout, /\n {2}jobs\s+List, describe, start and stop/);
    const help = await runCli(['jobs', '--help']);
    assert.equal(help.code, 0);
    assert.match(
      help.stdout,
      /--http HOST:PORT\s+the broker's HTTP API \(default \$SLUICE_HTTP or 127\.0\.0\.1:8080\)/,
    );
  });
});

// `sluice demo crypto|sentiment`: the talk's two applications, end to end, on a broker started
// in this process (with its dashboard) or on any Kafka cluster (--bootstrap). `npm start` runs
// `sluice demo crypto`. `demo crypto train` retrains the spike model and `demo crypto replay`
// writes recorded trades to the trades topic, both with progress bars.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exchangeAdapters } from '../../apps/crypto/feeds/index.ts';
import { exchangeIds } from '../../apps/crypto/universe.ts';
import type { BrokerConfig } from '../../broker/config.ts';
import { createLogger } from '../../broker/logger.ts';
import { brokerConfigFromFlags, brokerFlagOptions, brokerFlagUsage } from '../broker-flags.ts';
import { CliError, type CliIo, type Command } from '../command.ts';
import {
  type CryptoDemoOptions,
  cryptoDemo,
  cryptoDemoDefaults,
  type PolledExchange,
} from '../demo/crypto-demo.ts';
import { generatedTrainingInput, trainCommand } from '../demo/crypto-train.ts';
import { hostPortFlag, intFlag, listFlag, numberFlag, secretFromEnv } from '../demo/demo-flags.ts';
import { type DemoApp, runDemo } from '../demo/demo-runner.ts';
import { type SentimentDemoOptions, sentimentDemo, sentimentDemoDefaults } from '../demo/sentiment-demo.ts';
import { type SocialFeedOptions, socialFeedsConfigured, startSocialFeeds } from '../demo/social-feeds.ts';
import { replayTrades } from '../demo/trades-replay.ts';
import { interruptFor } from '../interrupt.ts';

const usage = `Usage:
  sluice demo crypto [options]            price spikes on trades of ~2,400 markets on 11 exchanges
  sluice demo crypto train [options]      retrain the spike model (batch run, progress bar)
  sluice demo crypto replay --input FILE  write recorded trades (JSON lines) to crypto.trades
  sluice demo sentiment [options]         sentiment of messages mentioning keywords; Slack alerts

Where it runs (crypto, sentiment):
  --bootstrap HOST:PORT     use this Kafka cluster (Sluice or Apache Kafka) instead of starting a
                            broker here (the dashboard comes with the broker started here)
  --executors N             worker threads for the job (default 1: in this thread)
  --checkpoint-dir DIR      job checkpoints and connector state (default .sluice-checkpoints)
${brokerFlagUsage}

crypto:
  --markets N               simulated markets (default ${cryptoDemoDefaults.markets}; 0: no simulator)
  --trades-per-second N     simulated trades per second over all markets (default ${cryptoDemoDefaults.tradesPerSecond})
  --exchanges a,b           simulated exchanges (default all: ${exchangeIds.join(', ')})
  --seed N                  simulator seed (default ${cryptoDemoDefaults.seed})
  --poll EXCHANGE[:M1,M2]   also poll a real exchange's public trades (repeatable; no markets:
                            every market it lists), e.g. --poll kraken:BTC-USD,ETH-USD
  --model FILE              spike model (default the one shipped; make one with 'train')
  --partitions N            partitions of crypto.trades and crypto.bars (default ${cryptoDemoDefaults.partitions})

crypto train:
  --out FILE                where the model goes (default spike-model.json)
  --seed N, --minutes N     generated training data (default: the shipped model's, seed 1, 10 min)
  --input FILE              train on recorded trades (JSON lines) instead; spikes are labeled by
                            the realized-move rule (see src/apps/crypto/README.md)
  --json                    the report as JSON

crypto replay:
  --input FILE              JSON lines, one Trade each; --bootstrap as above (default 127.0.0.1:9092)

sentiment:
  --keywords a,b            watched keywords (default ${sentimentDemoDefaults.keywords.join(',')})
  --rate N                  generated messages per second (default ${sentimentDemoDefaults.ratePerSecond}; 0: none)
  --seed N                  generator seed
  --window-seconds N        timeline window (default ${sentimentDemoDefaults.windowMs / 1000})
  --slack-events HOST:PORT  serve the Slack Events API Request URL (env SLACK_SIGNING_SECRET)
  --slack-channels a,b      poll these channels' history (env SLACK_BOT_TOKEN)
  --slack-alert-channel C   post alerts with chat.postMessage (env SLACK_BOT_TOKEN)
  --slack-webhook           post alerts to the incoming webhook in env SLACK_WEBHOOK_URL
  --x                       read X's filtered stream for the keywords (env X_BEARER_TOKEN)
  --slack-api-url URL       another Slack Web API endpoint (a proxy; default https://slack.com/api/)
  --x-api-url URL           another X API endpoint (default https://api.x.com)`;

const options = {
  ...brokerFlagOptions,
  bootstrap: { type: 'string' },
  executors: { type: 'string' },
  'checkpoint-dir': { type: 'string' },
  markets: { type: 'string' },
  'trades-per-second': { type: 'string' },
  exchanges: { type: 'string' },
  seed: { type: 'string' },
  poll: { type: 'string', multiple: true },
  model: { type: 'string' },
  partitions: { type: 'string' },
  out: { type: 'string' },
  minutes: { type: 'string' },
  input: { type: 'string' },
  json: { type: 'boolean' },
  keywords: { type: 'string' },
  rate: { type: 'string' },
  'window-seconds': { type: 'string' },
  'slack-events': { type: 'string' },
  'slack-channels': { type: 'string' },
  'slack-alert-channel': { type: 'string' },
  'slack-webhook': { type: 'boolean' },
  x: { type: 'boolean' },
  'slack-api-url': { type: 'string' },
  'x-api-url': { type: 'string' },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(args: string[]) {
  return parseArgs({ args, options, allowPositionals: true });
}

function parsePoll(specs: readonly string[]): PolledExchange[] {
  return specs.map((spec) => {
    const colon = spec.indexOf(':');
    const exchange = colon < 0 ? spec : spec.slice(0, colon);
    if (exchangeAdapters[exchange] === undefined)
      throw new CliError(
        `--poll names an exchange Sluice cannot poll: '${exchange}' (known: ${Object.keys(exchangeAdapters).join(', ')})`,
        2,
      );
    const markets = colon < 0 ? [] : (listFlag(spec.slice(colon + 1), 'poll') ?? []);
    return { exchange, markets };
  });
}

function cryptoOptions(values: Values): CryptoDemoOptions {
  const exchanges = listFlag(values.exchanges, 'exchanges');
  for (const e of exchanges ?? [])
    if (!exchangeIds.includes(e))
      throw new CliError(
        `--exchanges names an unknown exchange '${e}' (known: ${exchangeIds.join(', ')})`,
        2,
      );
  return {
    markets: intFlag(values.markets, 'markets', 0, 10_000) ?? cryptoDemoDefaults.markets,
    tradesPerSecond:
      numberFlag(values['trades-per-second'], 'trades-per-second', 1, 100_000) ??
      cryptoDemoDefaults.tradesPerSecond,
    seed: intFlag(values.seed, 'seed', 0, 2 ** 31 - 1) ?? cryptoDemoDefaults.seed,
    ...(exchanges === undefined ? {} : { exchanges }),
    poll: parsePoll(values.poll ?? []),
    ...(values.model === undefined ? {} : { model: values.model }),
    partitions: intFlag(values.partitions, 'partitions', 1, 64) ?? cryptoDemoDefaults.partitions,
  };
}

function socialOptions(values: Values, keywords: readonly string[], stateDir: string): SocialFeedOptions {
  const events = hostPortFlag(values['slack-events'], 'slack-events');
  const channels = listFlag(values['slack-channels'], 'slack-channels');
  const slackApiUrl = values['slack-api-url'];
  const alertChannel = values['slack-alert-channel'];
  if (alertChannel !== undefined && values['slack-webhook'] === true)
    throw new CliError('give --slack-alert-channel or --slack-webhook, not both', 2);
  return {
    keywords,
    stateDir,
    ...(events === undefined
      ? {}
      : {
          slackEvents: { signingSecret: secretFromEnv('SLACK_SIGNING_SECRET', '--slack-events'), ...events },
        }),
    ...(channels === undefined
      ? {}
      : {
          slackHistory: {
            token: secretFromEnv('SLACK_BOT_TOKEN', '--slack-channels'),
            channels,
            ...(slackApiUrl === undefined ? {} : { apiUrl: slackApiUrl }),
          },
        }),
    ...(values.x === true
      ? {
          x: {
            bearerToken: secretFromEnv('X_BEARER_TOKEN', '--x'),
            ...(values['x-api-url'] === undefined ? {} : { apiUrl: values['x-api-url'] }),
          },
        }
      : {}),
    ...(alertChannel !== undefined
      ? {
          alerts: {
            kind: 'chat' as const,
            token: secretFromEnv('SLACK_BOT_TOKEN', '--slack-alert-channel'),
            channel: alertChannel,
            ...(slackApiUrl === undefined ? {} : { slackApiUrl }),
          },
        }
      : values['slack-webhook'] === true
        ? { alerts: { kind: 'webhook' as const, url: secretFromEnv('SLACK_WEBHOOK_URL', '--slack-webhook') } }
        : {}),
  };
}

function sentimentOptions(values: Values, checkpointDir: string): SentimentDemoOptions {
  const keywords = listFlag(values.keywords, 'keywords') ?? sentimentDemoDefaults.keywords;
  const social = socialOptions(values, keywords, join(checkpointDir, 'sentiment-connectors'));
  const windowSeconds = intFlag(values['window-seconds'], 'window-seconds', 1, 24 * 3600);
  return {
    keywords,
    ratePerSecond: numberFlag(values.rate, 'rate', 0, 10_000) ?? sentimentDemoDefaults.ratePerSecond,
    seed: intFlag(values.seed, 'seed', 0, 2 ** 31 - 1) ?? sentimentDemoDefaults.seed,
    windowMs: windowSeconds === undefined ? sentimentDemoDefaults.windowMs : windowSeconds * 1000,
    ...(socialFeedsConfigured(social)
      ? { extraFeeds: (bootstrap, logger) => startSocialFeeds(social, bootstrap, logger) }
      : {}),
  };
}

async function run(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
  const { values, positionals } = parsed;
  const [appName, action, ...rest] = positionals;
  if (rest.length > 0) throw new CliError(`unexpected arguments: ${rest.join(' ')}`, 2);
  if (appName !== 'crypto' && appName !== 'sentiment')
    throw new CliError(
      `needs an application: crypto or sentiment${appName === undefined ? '' : `, got '${appName}'`}`,
      2,
    );
  if (action !== undefined && (appName !== 'crypto' || (action !== 'train' && action !== 'replay')))
    throw new CliError(
      `'${appName}' has no action '${action}'${appName === 'crypto' ? ' (train, replay)' : ''}`,
      2,
    );
  const interrupt = interruptFor(io);
  try {
    if (action === 'train') {
      const input =
        values.input === undefined
          ? generatedTrainingInput(
              intFlag(values.seed, 'seed', 0, 2 ** 31 - 1),
              intFlag(values.minutes, 'minutes', 1, 24 * 60),
            )
          : { kind: 'jsonl' as const, path: values.input };
      await trainCommand({
        input,
        out: values.out ?? 'spike-model.json',
        json: values.json === true,
        stdout: io.stdout,
        stderr: io.stderr,
      });
      return 0;
    }
    if (action === 'replay') {
      if (values.input === undefined)
        throw new CliError('replay needs --input FILE (JSON lines of trades)', 2);
      const summary = await replayTrades({
        input: values.input,
        bootstrap: values.bootstrap ?? '127.0.0.1:9092',
        stderr: io.stderr,
        signal: interrupt.signal,
      });
      io.stdout.write(
        `${summary.interrupted ? 'Interrupted after' : 'Replayed'} ${summary.trades.toLocaleString('en-US')} trades\n`,
      );
      return 0;
    }
    const checkpointDir = values['checkpoint-dir'] ?? '.sluice-checkpoints';
    const app: DemoApp =
      appName === 'crypto'
        ? cryptoDemo(cryptoOptions(values))
        : sentimentDemo(sentimentOptions(values, checkpointDir));
    const brokerConfig: BrokerConfig | null =
      values.bootstrap === undefined ? await brokerConfigFromFlags(values, io) : null;
    const logger = createLogger(
      brokerConfig === null
        ? { level: values.quiet === true ? 'error' : 'info', stream: io.stderr }
        : { level: brokerConfig.logLevel, format: brokerConfig.logFormat, stream: io.stderr },
    );
    return await runDemo(app, {
      brokerConfig,
      bootstrap: values.bootstrap ?? null,
      executors: intFlag(values.executors, 'executors', 1, 64) ?? 1,
      checkpointDir,
      logger,
      io,
      signal: interrupt.signal,
      statusEveryMs: 10_000,
    });
  } finally {
    interrupt.dispose();
  }
}

export const demoCommand: Command = {
  name: 'demo',
  summary: "Run the talk's applications: crypto price spikes, message sentiment with Slack alerts",
  usage,
  run,
};

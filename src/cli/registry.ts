// Every CLI command, in the order `sluice --help` lists them. A command's module is imported
// only when that command runs: `sluice broker` should not pay for loading the engine, the
// benchmarks and every client command first (start time is a product figure).
import type { Command } from './command.ts';

export interface CommandEntry {
  name: string;
  /** The same one-liner as the command's own `summary` (a test keeps them equal). */
  summary: string;
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  {
    name: 'broker',
    summary: 'Run a Kafka-compatible broker',
    load: async () => (await import('./commands/broker.ts')).brokerCommand,
  },
  {
    name: 'topics',
    summary: 'List, create, describe, alter and delete topics',
    load: async () => (await import('./commands/topics.ts')).topicsCommand,
  },
  {
    name: 'produce',
    summary: 'Send stdin lines as records to a topic',
    load: async () => (await import('./commands/produce.ts')).produceCommand,
  },
  {
    name: 'consume',
    summary: 'Print records of a topic (group or assigned partitions)',
    load: async () => (await import('./commands/consume.ts')).consumeCommand,
  },
  {
    name: 'groups',
    summary: 'List, describe (with lag), reset offsets of and delete consumer groups',
    load: async () => (await import('./commands/groups.ts')).groupsCommand,
  },
  {
    name: 'run',
    summary: 'Run a stream-processing job module on worker threads',
    load: async () => (await import('./commands/run.ts')).runCommand,
  },
  {
    name: 'jobs',
    summary: 'List, describe, start and stop the stream-processing jobs a broker runs (via its HTTP API)',
    load: async () => (await import('./commands/jobs.ts')).jobsCommand,
  },
  {
    name: 'demo',
    summary: "Run the talk's applications: crypto price spikes, message sentiment with Slack alerts",
    load: async () => (await import('./commands/demo.ts')).demoCommand,
  },
  {
    name: 'nexmark',
    summary: 'Run a Nexmark query over a JSON-lines file, or generate events',
    load: async () => (await import('./commands/nexmark.ts')).nexmarkCommand,
  },
  {
    name: 'bench',
    summary: 'Run benchmarks beside their peers (npm run bench)',
    load: async () => (await import('./commands/bench.ts')).benchCommand,
  },
];

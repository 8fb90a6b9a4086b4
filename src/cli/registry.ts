// Every CLI command, in the order `sluice --help` lists them.
import type { Command } from './command.ts';

export const commands: Command[] = [];
commands.push((await import('./commands/nexmark.ts')).nexmarkCommand);
commands.push((await import('./commands/broker.ts')).brokerCommand);
commands.push((await import('./commands/run.ts')).runCommand);
commands.push((await import('./commands/topics.ts')).topicsCommand);
commands.push((await import('./commands/produce.ts')).produceCommand);
commands.push((await import('./commands/consume.ts')).consumeCommand);
commands.push((await import('./commands/groups.ts')).groupsCommand);
commands.push((await import('./commands/jobs.ts')).jobsCommand);
commands.push((await import('./commands/bench.ts')).benchCommand);

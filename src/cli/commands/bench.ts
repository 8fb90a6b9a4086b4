// `sluice bench [names...]`: the benchmarks of `npm run bench` (bench/main.ts), with a progress
// line on stderr while each runs and the tables (or --json) on stdout.
import { formatRows } from '../../../bench/bench-row.ts';
import type { Benchmark } from '../../../bench/main.ts';
import { parseFlags } from '../args.ts';
import { CliError, type CliIo, type Command } from '../command.ts';
import { writeJson } from '../json-output.ts';
import { ProgressLine, progressBar } from '../progress.ts';

const usage = `Usage: sluice bench [name...] [--json] [--list]

Runs the named benchmarks (all when none is named), each printing Sluice's figures beside a
peer's from the same run. Some take minutes; a progress line shows which one is running.

  --list   print the benchmarks' names and titles, run nothing
  --json   print [{ name, title, rows: [{ name, unit, value, peer? }] }]`;

const flags = { json: { type: 'boolean' }, list: { type: 'boolean' } } as const;

type Registry = Readonly<Record<string, Benchmark>>;

interface BenchModule {
  benches: Registry;
  runBenchmarks: typeof import('../../../bench/main.ts').runBenchmarks;
}

/** The command over a benchmark module; loaded on use, as benchmarks pull in peers' clients. */
export function createBenchCommand(load: () => Promise<BenchModule>): Command {
  return {
    name: 'bench',
    summary: 'Run benchmarks beside their peers (npm run bench)',
    usage,
    async run(args: string[], io: CliIo): Promise<number> {
      const { values, positionals } = parseFlags(args, flags);
      const { benches, runBenchmarks } = await load();
      const unknown = positionals.filter((n) => !(n in benches));
      if (unknown.length > 0)
        throw new CliError(
          `unknown benchmark ${unknown.map((n) => `'${n}'`).join(', ')}; known: ${Object.keys(benches).join(', ')}`,
          2,
        );
      if (values.list === true) {
        if (values.json === true)
          writeJson(
            io.stdout,
            Object.entries(benches).map(([name, b]) => ({ name, title: b.title })),
          );
        else
          for (const [name, b] of Object.entries(benches))
            io.stdout.write(`${name.padEnd(10)}  ${b.title}\n`);
        return 0;
      }
      const progress = new ProgressLine(io.stderr);
      let current = { name: '', index: 0, count: 1, startedMs: performance.now() };
      const draw = (force = false) => {
        const seconds = ((performance.now() - current.startedMs) / 1000).toFixed(0);
        progress.update(
          `${progressBar(current.index / current.count)} ${current.index + 1}/${current.count} ${current.name} ${seconds} s`,
          force,
        );
      };
      // The benchmarks report nothing while they run, so the line ticks on a timer.
      const ticker = progress.enabled ? setInterval(draw, 1000) : null;
      ticker?.unref();
      try {
        const results = await runBenchmarks(
          positionals,
          {
            onStart: (name, index, count) => {
              current = { name, index, count, startedMs: performance.now() };
              if (progress.enabled) draw(true);
              else io.stderr.write(`running ${name} (${index + 1}/${count})…\n`);
            },
            onDone: (name, title, rows) => {
              progress.clear();
              if (values.json !== true) io.stdout.write(`${formatRows(title, rows)}\n`);
              if (!progress.enabled)
                io.stderr.write(
                  `${name} done in ${((performance.now() - current.startedMs) / 1000).toFixed(1)} s\n`,
                );
            },
          },
          benches,
        );
        if (values.json === true) writeJson(io.stdout, results);
      } finally {
        if (ticker !== null) clearInterval(ticker);
        progress.clear();
      }
      return 0;
    },
  };
}

export const benchCommand = createBenchCommand(() => import('../../../bench/main.ts'));

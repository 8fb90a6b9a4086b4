// `sluice <command> [args]`: finds the command and runs it, turning user errors into a message
// and an exit code instead of a stack trace.
import { CliError, type CliIo } from './command.ts';
import { commands } from './registry.ts';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: sluice <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'sluice <command> --help' for a command's options.\n`;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (entry === undefined) {
    io.stderr.write(
      `sluice: unknown command '${name}'. Known commands: ${commands.map((c) => c.name).join(', ')}\n`,
    );
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`sluice ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

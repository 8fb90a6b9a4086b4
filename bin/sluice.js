#!/usr/bin/env node
// Entry point of the `sluice` command. It runs the compiled build (build/, made by `npm ci`)
// when that is at least as new as every file under src/; otherwise it loads the TypeScript
// sources through tsx, so an edited checkout never runs stale code.
import { isBuildFresh } from './build-fresh.js';

const root = new URL('..', import.meta.url).pathname;

// Commands that import a user's TypeScript job module (and the engine classes it imports from
// src/) must run from the sources too: compiled and source copies of the engine in one process
// would be two different engines.
function loadsJobModules(args) {
  const [command, ...rest] = args;
  if (command === 'run' || command === 'nexmark' || command === 'demo') return true;
  return command === 'broker' && rest.some((a) => a === '--job' || a.startsWith('--job='));
}

let main;
const args = process.argv.slice(2);
if (process.env.SLUICE_FROM_SOURCE !== '1' && !loadsJobModules(args) && isBuildFresh(root)) {
  ({ main } = await import('../build/src/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(args, {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});

#!/usr/bin/env node
// Entry point of the `sluice` command. The product is TypeScript; tsx loads it directly so that
// `npx sluice` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});

// The one test command (`npm test`): lint, type check, then every *.test.ts file under the
// source folders on node:test. Exits non-zero if any step fails, so CI and developers see
// the same verdict. `--interop` runs the extended interoperability suite instead
// (*.interop-test.ts: the Java client, Kafka's CLI tools, franz-go), which `.ci/run` runs too.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const testRoots = ['src', 'scripts', 'interop', 'examples', 'bench'];
const onlyUnit = process.argv.includes('--only-unit');
const interop = process.argv.includes('--interop');
const suffix = interop ? '.interop-test.ts' : '.test.ts';
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));

function findTests(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names.sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith(suffix)) out.push(relative(root, path));
  }
}

function run(label: string, command: string, args: string[]): void {
  console.log(
    `\n== ${label}: ${command} ${args.length > 12 ? `${args.slice(0, 12).join(' ')} …` : args.join(' ')}`,
  );
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

const files: string[] = [];
for (const dir of testRoots) findTests(join(root, dir), files);
const selected = files.filter(
  (f) =>
    (filters.length === 0 || filters.some((p) => f.includes(p))) && !(onlyUnit && f.startsWith('interop/')),
);
if (selected.length === 0) {
  console.error(`No test files matched ${filters.join(' ') || '(all)'}`);
  process.exit(1);
}
if (filters.length === 0 && !interop) {
  run('lint', 'npx', ['biome', 'check', '--error-on-warnings', '.']);
  run('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']);
  // The dashboard's browser code has its own compiler settings (DOM libraries).
  run('typecheck dashboard', 'npx', ['tsc', '--noEmit', '-p', 'src/ui/web']);
}
// The browser tests load the built dashboard: build it from the current sources first.
if (!interop && selected.some((f) => f.startsWith('src/ui/'))) {
  run('build dashboard', process.execPath, ['--import', 'tsx', 'scripts/build-ui.ts']);
}
run('tests', process.execPath, ['--import', 'tsx', '--test', '--test-timeout=600000', ...selected]);

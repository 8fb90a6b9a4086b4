// `npm run build`: compiles src/ to build/ with tsc (run by `npm ci` through `prepare`). The
// `sluice` command runs the compiled files when they are at least as new as every source file,
// which starts a broker in about half the time and memory of loading TypeScript through tsx;
// otherwise it falls back to the sources, so an edited checkout never runs stale code.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDir, buildStampPath } from './build-stamp.ts';

const root = new URL('..', import.meta.url).pathname;

export function build(): void {
  rmSync(buildDir(root), { recursive: true, force: true });
  const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    // No stamp, so `sluice` keeps running the sources; `npm test` reports the type errors.
    console.warn(
      `sluice build: tsc -p tsconfig.build.json exited with ${result.status ?? result.signal}; ` +
        'the sluice command will run the TypeScript sources instead',
    );
    return;
  }
  // The dashboard's static files are found next to the server's module (src/ui/dist); the
  // compiled server looks in build/src/ui/dist, so point that at the same files.
  mkdirSync(join(buildDir(root), 'src', 'ui'), { recursive: true });
  symlinkSync(join('..', '..', '..', 'src', 'ui', 'dist'), join(buildDir(root), 'src', 'ui', 'dist'), 'dir');
  // Written last: a build that failed half-way has no stamp and is never used.
  writeFileSync(buildStampPath(root), `${new Date().toISOString()}\n`);
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  build();
  console.log(`Compiled src/ into ${buildDir(root)}`);
}

// Where the compiled build lives and whether it is fresh. bin/sluice.js has its own copy of
// isBuildFresh() in plain JavaScript (it runs before any TypeScript loader); build-stamp.test.ts
// keeps the two in agreement.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function buildDir(root: string): string {
  return join(root, 'build');
}

export function buildStampPath(root: string): string {
  return join(buildDir(root), '.stamp');
}

/** Newest modification time (ms) of any file under `dir`, walking without recursion. */
export function newestMtimeMs(dir: string): number {
  let newest = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'dist' && entry.name !== 'node_modules') stack.push(path);
      } else if (entry.name.endsWith('.ts')) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  }
  return newest;
}

export function isBuildFresh(root: string): boolean {
  let stampMs: number;
  try {
    stampMs = statSync(buildStampPath(root)).mtimeMs;
  } catch {
    return false;
  }
  return newestMtimeMs(join(root, 'src')) <= stampMs;
}

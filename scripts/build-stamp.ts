// Where the compiled build lives, and whether it is fresh: the rule itself is in
// bin/build-fresh.js, which bin/sluice.js runs before any TypeScript loader exists.
import { join } from 'node:path';

export { isBuildFresh } from '../bin/build-fresh.js';

export function buildDir(root: string): string {
  return join(root, 'build');
}

export function buildStampPath(root: string): string {
  return join(buildDir(root), '.stamp');
}

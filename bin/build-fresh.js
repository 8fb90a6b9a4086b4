// Whether the compiled build (build/, made by `npm run build`) may run: it must have a stamp and
// be at least as new as every TypeScript file under src/. Plain JavaScript because bin/sluice.js
// asks before any TypeScript loader exists; scripts/build-stamp.ts and its test use this same
// function.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} root the package root */
export function isBuildFresh(root) {
  let stampMs;
  try {
    stampMs = statSync(join(root, 'build', '.stamp')).mtimeMs;
  } catch {
    return false;
  }
  // Walked with an explicit stack; dist/ (the dashboard's output) holds no sources.
  const stack = [join(root, 'src')];
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'dist' && entry.name !== 'node_modules') stack.push(path);
      } else if (entry.name.endsWith('.ts') && statSync(path).mtimeMs > stampMs) {
        return false;
      }
    }
  }
  return true;
}

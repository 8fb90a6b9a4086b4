// Job modules are users' TypeScript files. Sluice itself may run compiled (build/, no loader, for
// start time and memory) or from source under tsx; this registers tsx once, only when a
// TypeScript module must be imported and no TypeScript loader is active yet.

let registered: Promise<void> | null = null;

/** True when this code itself runs from .ts sources, i.e. a TypeScript loader is active. */
const runningFromSource = import.meta.url.endsWith('.ts');

export function ensureTypeScriptLoader(): Promise<void> {
  if (runningFromSource) return Promise.resolve();
  registered ??= import('tsx/esm/api').then((tsx) => {
    tsx.register();
  });
  return registered;
}

/** The same file as a sibling module of this build: `name.ts` from sources, `name.js` compiled. */
export function siblingModuleUrl(name: string, base: string): string {
  return new URL(`./${name}.${base.endsWith('.ts') ? 'ts' : 'js'}`, base).href;
}

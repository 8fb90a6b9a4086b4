// Builds the dashboard (Vite) into src/ui/dist, which the broker's HTTP server serves: relative
// asset paths so the pages work under any host and port, everything bundled, nothing loaded from
// the internet at run time. `npm run build:ui` runs it; `npm ci` does too (the prepare script),
// and `npm test` rebuilds before the browser tests so they never test stale pages.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const dashboardRoot = fileURLToPath(new URL('.', import.meta.url));
export const dashboardOutDir = fileURLToPath(new URL('../dist', import.meta.url));

export async function buildDashboard(): Promise<void> {
  await build({
    configFile: false,
    root: dashboardRoot,
    base: './',
    logLevel: 'warn',
    build: {
      outDir: dashboardOutDir,
      emptyOutDir: true,
      sourcemap: false,
      chunkSizeWarningLimit: 300,
    },
  });
}

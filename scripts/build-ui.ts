// `npm run build:ui`: builds the dashboard into src/ui/dist (see src/ui/web/build.ts).
import { buildDashboard, dashboardOutDir } from '../src/ui/web/build.ts';

const started = performance.now();
await buildDashboard();
console.log(`Dashboard built into ${dashboardOutDir} in ${Math.round(performance.now() - started)} ms`);

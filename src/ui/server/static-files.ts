// Serves the built web app (src/ui/dist, made by `npm run build:ui`) with the right content types.
// Paths are resolved inside the root only; hashed assets are cached for good, index.html never,
// so a rebuilt dashboard is picked up on reload. Nothing is fetched from the internet: the build
// bundles every script, style and font the pages use.
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The built app's folder: src/ui/dist beside src/ui/server. */
export const defaultStaticRoot = new URL('../dist/', import.meta.url).pathname;

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Answers GET `urlPath` from `root`; true when it answered (found, or refused as outside). */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const path = normalize(join(root, relative));
  const rootDir = root.endsWith(sep) ? root : `${root}${sep}`;
  if (!path.startsWith(rootDir)) return false;
  try {
    if (!(await stat(path)).isFile()) return false;
  } catch {
    return false;
  }
  const body = await readFile(path);
  const immutable = relative.startsWith('assets/');
  res.writeHead(200, {
    'content-type': contentTypeOf(path),
    'content-length': body.length,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
  return true;
}

// Filesystem failures carry the POSIX code the real filesystem would report, so the storage layer
// classifies one shape of error whichever implementation it runs on.

export type FsErrorCode = 'ENOENT' | 'EEXIST' | 'ENOSPC' | 'EROFS' | 'EIO' | 'ENOTDIR' | 'EISDIR' | 'EXDEV';

export class FsError extends Error {
  override readonly name = 'FsError';
  readonly code: FsErrorCode;
  readonly path: string;

  constructor(code: FsErrorCode, action: string, path: string) {
    super(`${code}: cannot ${action} '${path}'`);
    this.code = code;
    this.path = path;
  }
}

/** The POSIX code of a filesystem error from either implementation, or undefined. */
export function fsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

// Crash-safe replacement of a small file: write a temporary file, fsync it, rename it over the
// target, fsync the directory. After a crash the target holds either the old or the new bytes.
import type { FileSystem } from './fs/file-system.ts';

export async function writeFileAtomically(
  fs: FileSystem,
  dir: string,
  name: string,
  data: Buffer,
): Promise<void> {
  const temp = `${dir}/${name}.tmp`;
  const file = await fs.open(temp, 'readWrite');
  try {
    await file.truncate(0);
    await file.write(data, 0);
    await file.sync();
  } finally {
    await file.close();
  }
  await fs.rename(temp, `${dir}/${name}`);
  await fs.syncDirectory(dir);
}

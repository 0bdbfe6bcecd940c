// Writes a report folder whole or not at all: every file into a temporary sibling, which then replaces the folder
// in one rename, so a failure never leaves half a report (nor an old report mixed with a new one). File names are
// checked to be plain names, so no name reaches outside the folder. Used by both evaluation reports.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';

/**
 * Writes `files` (file name → content) into `folder`, created or replaced, and returns the folder's absolute path.
 * Throws before anything replaces `folder` when a name is not a plain file name (`/`, `..`, a leading dot).
 */
export async function writeReportFolder(folder: string, files: ReadonlyMap<string, string>): Promise<string> {
  for (const name of files.keys()) {
    if (basename(name) !== name || name.startsWith('.')) throw new Error(`Refusing to write the report file ${JSON.stringify(name)}: a report file name must not name a folder.`);
  }
  const dir = resolve(folder);
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  try {
    await mkdir(tmp, { recursive: true });
    for (const [name, text] of files) await writeFile(resolve(tmp, name), text);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

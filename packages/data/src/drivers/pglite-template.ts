// A new PGlite folder starts as a copy of a migrated template instead of running initdb: PGlite's initdb costs
// ~5.5 s of CPU on this project's two-core machines and the migrations ~1 s more, a copy of the closed template
// ~0.2 s. The template is made once per PGlite version and migration set (the key), in the system's temp folder,
// by the first process that needs it: built in a folder of its own, closed cleanly, then renamed into place, so a
// reader never sees half a template and two first processes only both pay once. Copying a cleanly shut-down data
// directory is how PostgreSQL's own `CREATE DATABASE … TEMPLATE` and base backups work. Node only.
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { MIGRATIONS_FOLDER } from '../migrate.ts';

/** Whether `folder` holds no PostgreSQL cluster yet (missing, or empty). */
export function isNewPgliteFolder(folder: string): boolean {
  return !existsSync(folder) || readdirSync(folder).length === 0;
}

/** The template's key: PGlite's version and every migration file's name and bytes. */
function templateKey(): string {
  const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite'); // …/pglite/dist/index.cjs
  const hash = createHash('sha256').update(readFileSync(join(dirname(pgliteEntry), '..', 'package.json')));
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else hash.update(name.name).update(readFileSync(path));
    }
  };
  walk(MIGRATIONS_FOLDER);
  return hash.digest('hex').slice(0, 16);
}

/** Makes the template in its own folder and renames it to `template`; a process that lost the race drops its own. */
async function buildTemplate(template: string): Promise<void> {
  const building = `${template}.building-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const client = new PGlite(building);
  try {
    await client.waitReady;
    await client.exec('set client_min_messages = warning');
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.close();
  }
  try {
    renameSync(building, template);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another process put its template there first
  }
}

/**
 * Fills the new folder `location` with a migrated PostgreSQL cluster copied from the template (made first when
 * missing). `root` is where templates live (default: `<tmp>/coinsphere-pglite-<user>`).
 */
export async function seedFromTemplate(location: string, root = join(tmpdir(), `coinsphere-pglite-${userInfo().username}`)): Promise<void> {
  const template = join(root, templateKey());
  if (!existsSync(join(template, 'PG_VERSION'))) {
    mkdirSync(root, { recursive: true });
    await buildTemplate(template);
  }
  // Copied beside the folder, then renamed: a copy cut short (disk full, kill) leaves no half cluster in `location`.
  const copying = `${location}.seeding-${process.pid}`;
  try {
    cpSync(template, copying, { recursive: true });
    if (existsSync(location)) rmSync(location, { recursive: true }); // empty (isNewPgliteFolder)
    renameSync(copying, location);
  } finally {
    rmSync(copying, { recursive: true, force: true });
  }
}

// A command whose embedded database came through another process's share (serve), when that process stops
// mid-command: the failure says so and how to go on, not the driver's "Connection terminated".
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withDatabase } from './database.ts';

const DATA = fileURLToPath(new URL('../../../../packages/data/src/index.ts', import.meta.url));

describe('withDatabase through a share whose owner stops mid-command', () => {
  it('fails naming the stopped process and the way on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-withdb-lost-'));
    const folder = join(dir, 'db');
    const script = `import { openDatabase } from ${JSON.stringify(DATA)}; await openDatabase(${JSON.stringify(folder)}, { share: true }); console.log('ready'); setInterval(() => {}, 1000);`;
    const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        owner.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        owner.once('exit', (code) => reject(new Error(`owner exited with ${code}`)));
      });
      const failed = await withDatabase({ db: folder }, async (db) => {
        await db.executeSql('select 1');
        owner.kill('SIGKILL'); // serve stopped while the command ran
        await new Promise((r) => owner.once('exit', r));
        await db.executeSql('select 2');
      }).catch((e: unknown) => e as Error);
      expect(failed).toBeInstanceOf(Error);
      expect(failed!.message).toMatch(new RegExp(`^Process ${owner.pid}, which shared the embedded database .* has stopped.*Run the command again`));
    } finally {
      owner.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

// What `coinsphere ingest` prints when a CSV carries terminal escape codes (in its header, its symbols, its file
// name): the real command in this process over files in a temp folder and a PGlite database. Every control
// character reaches the terminal escaped (`\x1b`), never raw, and a giant header is cut.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../../../tests/support/cli.ts';

const ESC = '\x1b';
/** Any control character but the line feed that ends each printed line. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/; // eslint-disable-line no-control-regex -- the point of the check

describe('coinsphere ingest output from hostile files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-terminal-'));
  const db = join(dir, 'db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the escape codes of an unrecognised header escaped, in one capped line', async () => {
    const file = join(dir, 'garbage.csv');
    writeFileSync(file, `${ESC}[2J${ESC}[31mtime,${ESC}]0;pwned\x07close,${'x'.repeat(5000)}\n2024-01-01,1,2\n`);
    const r = await runInProcess(['ingest', '--db', db, '--csv', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('(header: \\x1b[2J\\x1b[31mtime,\\x1b]0;pwned\\x07close,xxx');
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr.length).toBeLessThan(1200);
  });

  it('shows a file name and a skipped row\'s symbol with escape codes escaped in the report', async () => {
    const file = join(dir, `coin_${ESC}[31mRed.csv`);
    writeFileSync(file, [
      'SNo,Name,Symbol,Date,High,Low,Open,Close,Volume,Marketcap',
      '1,Testcoin,TST,2020-01-01 23:59:59,105,95,99,100,1000,1e8',
      `2,Testcoin,T${ESC}[8mST,2020-01-02 23:59:59,106,96,100,101,1000,1e8`,
    ].join('\n'));
    const r = await runInProcess(['ingest', '--db', db, '--csv', file, '--skip-invalid']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('coin_\\x1b[31mRed.csv: TST 1d from coinmarketcap');
    expect(r.stdout).toContain('line 3: Symbol T\\x1b[8mST differs from the file\'s TST');
  });
});

// The CSV ingest's memory grows with a file's rows by a few bytes each, not with its bytes: a generated 24 MB file
// is checked in a child process whose V8 heap is capped at 160 MB (Node, tsx and PGlite take about 100 MB of it;
// the ingest that held the whole file needed about 11x the file on top and died there), and its one bad row, the
// very last, still refuses the whole file naming that line, with nothing written. And the line reader holds one
// chunk and one partial line, never the file.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { streamCsvLines, type LineReaderProbe } from './csv-stream.ts';

const CHILD = fileURLToPath(new URL('./ingest-csv-child.ts', import.meta.url));
const HOUR_MS = 3_600_000;

/** A CryptoDataDownload hourly file of `rows` hours, newest first; the oldest (last) row's close is `lastClose`. */
function writeHourly(file: string, rows: number, lastClose: string): number {
  const fd = openSync(file, 'w');
  writeSync(fd, 'https://www.CryptoDataDownload.com\nUnix,Date,Symbol,Open,High,Low,Close,Volume MEM,Volume USDT,tradecount\n');
  let chunk = '';
  for (let i = rows - 1; i >= 0; i--) {
    const c = 100 + (i % 97);
    chunk += `${(Date.UTC(2000, 0, 1) + i * HOUR_MS) / 1000}.0,2000-01-01 00-AM,MEMUSDT,${c},${c + 2},${c - 1},${i === 0 ? lastClose : c + 1},12.5,1300.25,42\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  return rows + 2; // the last line's number
}

describe('CSV ingest memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-ingest-mem-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks a 24 MB file within a 160 MB heap and refuses it whole for its last row, writing nothing', () => {
    const file = join(dir, 'Binance_MEMUSDT_1h.csv');
    const lastLine = writeHourly(file, 350_000, 'abc');
    expect(statSync(file).size).toBeGreaterThan(24e6);
    const r = spawnSync(process.execPath, ['--max-old-space-size=160', '--import', 'tsx', CHILD, join(dir, 'db'), file], { encoding: 'utf8', timeout: 100_000 });
    expect(r.status, r.stderr.slice(-2000)).toBe(0); // the old ingest died here: "JavaScript heap out of memory"
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { ok: boolean; error?: string; series: number };
    expect(out.ok).toBe(false);
    expect(out.error).toContain(`${file} line ${lastLine}: close is an unparseable value`);
    expect(out.error).toContain('Nothing was written');
    expect(out.series).toBe(0);
  }, 120_000); // a child process that starts PGlite: seconds on a quiet machine

  it('reads line by line, holding at most one partial line beside the current chunk', async () => {
    const file = join(dir, 'lines.csv');
    writeFileSync(file, `a,b\r\n\n${Array.from({ length: 5000 }, (_, i) => `${i}, x${i} `).join('\n')}\nlast,"q,uoted"`);
    const probe: LineReaderProbe = { maxPendingChars: 0 };
    const lines = [];
    for await (const l of streamCsvLines(file, { chunkBytes: 1024, probe })) lines.push(l);
    expect(lines[0]).toEqual({ line: 1, fields: ['a', 'b'] });
    expect(lines[1]).toEqual({ line: 3, fields: ['0', 'x0'] }); // a blank line skipped, its number kept
    expect(lines.at(-1)).toEqual({ line: 5003, fields: ['last', 'q,uoted'] });
    expect(probe.maxPendingChars).toBeLessThan(20);
  });
});

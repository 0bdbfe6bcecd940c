// Reads a CSV file line by line from a stream, so an ingest never holds a whole file: the reader keeps one chunk
// (64 KiB) and the line being assembled, and yields each non-empty line split into fields, numbered as
// readCsvLines numbers them (1-based, blank lines skipped, CRLF or LF). A line longer than MAX_LINE_CHARS is
// refused: no CSV of candles has one, and it would have to be held whole. Node only (reads files).
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { splitCsvLine, type CsvLine } from './csv-text.ts';

/** The longest line read, in characters (1 MiB). */
export const MAX_LINE_CHARS = 1 << 20;

/** Thrown for a line longer than MAX_LINE_CHARS; line is 1-based. */
export class LineTooLongError extends Error {
  constructor(readonly line: number) {
    super(`line ${line} is longer than ${MAX_LINE_CHARS} characters; a CSV of candles has short lines (is this the right file?)`);
  }
}

/** What the reader holds right now, for tests of its memory: characters of the line being assembled. */
export interface LineReaderProbe {
  maxPendingChars: number;
}

function toCsvLine(text: string, line: number): CsvLine | null {
  const raw = text.endsWith('\r') ? text.slice(0, -1) : text;
  return raw.trim() === '' ? null : { line, fields: splitCsvLine(raw).map((f) => f.trim()) };
}

/**
 * The non-empty lines of `file`, one at a time, each with its 1-based line number and trimmed fields. Reads
 * `chunkBytes` at a time (default 64 KiB); `probe`, when given, records the longest partial line held.
 * Throws LineTooLongError, or the stream's own error (ENOENT, EACCES).
 */
export async function* streamCsvLines(file: string, opts: { chunkBytes?: number; probe?: LineReaderProbe } = {}): AsyncGenerator<CsvLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: opts.chunkBytes ?? 1 << 16 })) {
    const text = pending + decoder.write(chunk as Buffer);
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      line++;
      if (nl - start > MAX_LINE_CHARS) throw new LineTooLongError(line);
      const out = toCsvLine(text.slice(start, nl), line);
      if (out) yield out;
      start = nl + 1;
    }
    pending = text.slice(start);
    if (pending.length > MAX_LINE_CHARS) throw new LineTooLongError(line + 1);
    if (opts.probe && pending.length > opts.probe.maxPendingChars) opts.probe.maxPendingChars = pending.length;
  }
  pending += decoder.end();
  const last = toCsvLine(pending, line + 1);
  if (last) yield last;
}

// Splits CSV text into lines and fields (RFC 4180 quotes supported, CRLF or LF). Pure: no runtime imports.

/** One CSV line: its 1-based line number in the file and its fields. */
export interface CsvLine {
  line: number;
  fields: string[];
}

/** Splits one line into fields; double quotes may wrap a field and `""` inside is a quote. */
export function splitCsvLine(text: string): string[] {
  if (!text.includes('"')) return text.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** Non-empty lines of a CSV text with their line numbers (blank lines are skipped, numbering kept). */
export function readCsvLines(text: string): CsvLine[] {
  const out: CsvLine[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '') continue;
    out.push({ line: i + 1, fields: splitCsvLine(raw).map((f) => f.trim()) });
  }
  return out;
}

// The HTML both evaluation reports are made of: a table whose every cell is escaped, and the page around the parts.
// Text from data (symbols) is escaped with the one escaper (escapeXml), the same as the SVG plots.
import { escapeXml as esc } from '@coinsphere/model/core';

/** A table; every header and cell is text, escaped. */
export function htmlTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;
}

/** A whole page of already-built (escaped) parts under the title `title` (escaped here). */
export function htmlPage(title: string, parts: readonly string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>
body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f4f4f4}pre{background:#f8f8f8;padding:8px;overflow-x:auto;font-size:12px}.plots img{margin:4px;border:1px solid #ddd}
</style></head><body>${parts.join('\n')}</body></html>\n`;
}

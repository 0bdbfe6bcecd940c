// The one sanitiser for text that came from a file or the network and is about to be printed (a CSV header, a
// symbol, a file name, an API's answer): control characters (terminal escape codes included) are shown escaped
// and the length is capped, so no input can move the cursor, recolour or clear a terminal, or flood it. Pure: no
// runtime imports.

/** How many characters of one untrusted text are printed by default. */
export const PRINTABLE_MAX_CHARS = 120;

// C0 controls and DEL, C1 controls, and the Unicode line/paragraph separators and bidi overrides that reorder
// what a terminal shows.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeControl(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` made safe to print: each control character shown as `\xNN` (or `\uNNNN`), and anything past `maxChars`
 * characters (default PRINTABLE_MAX_CHARS; Infinity for no cap) replaced by `…(N more characters)`. Backslashes
 * are left as they are, so printable(printable(x)) is printable(x) when nothing was cut.
 */
export function printable(text: string, maxChars: number = PRINTABLE_MAX_CHARS): string {
  const cut = text.length > maxChars ? text.slice(0, maxChars) : text;
  const escaped = cut.replace(CONTROL, escapeControl);
  return cut.length < text.length ? `${escaped}…(${text.length - cut.length} more characters)` : escaped;
}

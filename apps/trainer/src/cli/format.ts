// Small formatting helpers shared by the commands (parsing flags is cli/flags.ts's job), and terminalText: what
// every command passes text through before it reaches the terminal when any of it came from a file, a database or
// the network (printable, the one sanitiser, applied line by line).
import { printable } from '@coinsphere/model/core';

/**
 * `text` safe for a terminal: each line through printable (control characters such as escape codes shown as
 * `\xNN`, each line cut at `maxCharsPerLine`, default no cap: the untrusted parts are capped where they are
 * embedded); the line breaks between lines are kept.
 */
export function terminalText(text: string, maxCharsPerLine = Infinity): string {
  return text.split('\n').map((line) => printable(line, maxCharsPerLine)).join('\n');
}

/** `YYYY-MM-DD` for daily bars, full ISO timestamp (UTC) for hourly ones. */
export function formatBarTime(ms: number, interval: string): string {
  const iso = new Date(ms).toISOString();
  return interval === '1d' ? iso.slice(0, 10) : iso;
}

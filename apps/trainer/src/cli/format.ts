// Small formatting helpers shared by the commands (parsing flags is cli/flags.ts's job).

/** `YYYY-MM-DD` for daily bars, full ISO timestamp (UTC) for hourly ones. */
export function formatBarTime(ms: number, interval: string): string {
  const iso = new Date(ms).toISOString();
  return interval === '1d' ? iso.slice(0, 10) : iso;
}

// UTC day helpers shared by features, datasets, artifacts and predictions. Must not import anything.

/** 'YYYY-MM-DD' of the UTC day containing `timeMs`. */
export function toIsoDay(timeMs: number): string {
  return new Date(timeMs).toISOString().slice(0, 10);
}

/** Start of the UTC day containing `timeMs`, in epoch milliseconds. */
export function utcDayStart(timeMs: number): number {
  return Math.floor(timeMs / 86_400_000) * 86_400_000;
}

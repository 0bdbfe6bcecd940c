// Social-sentiment inputs for the three social features. Pluggable: a real provider (LunarCrush or similar)
// prefetches its readings and answers synchronously per day. Must not import anything.

/** One day's social reading. All three are on a 0-100 scale. */
export interface SentimentReading {
  /** Social activity / sentiment score, 0-100. */
  socialScore: number;
  /** Share of positive mentions, percent 0-100. */
  sentimentPos: number;
  /** Share of negative mentions, percent 0-100. */
  sentimentNeg: number;
}

/** A source of daily sentiment readings. Must be causal: the reading for a day uses nothing after that day. */
export interface SentimentProvider {
  /** Shown in metadata and logs, e.g. "constant" or "lunarcrush". */
  readonly name: string;
  /** 'placeholder' for a provider that carries no information (the constant one), 'real' otherwise. */
  readonly kind: 'real' | 'placeholder';
  /** Reading for the UTC day starting at `dayStartMs`, or null when the provider has none for that day. */
  readingAt(dayStartMs: number): SentimentReading | null;
}

/** The neutral reading: the midpoint of each 0-100 scale. Used by the constant provider and for absent days. */
export const NEUTRAL_SENTIMENT: SentimentReading = { socialScore: 50, sentimentPos: 50, sentimentNeg: 50 };

/** The default provider: the same neutral reading every day, reported as a placeholder. */
export function constantSentimentProvider(reading: SentimentReading = NEUTRAL_SENTIMENT): SentimentProvider {
  return { name: 'constant', kind: 'placeholder', readingAt: () => reading };
}

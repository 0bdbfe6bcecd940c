// The dashboard's glossary: every technical term the pages use, defined once in plain words. `term()` marks a word
// where it appears (a dotted underline with the definition as its tooltip, linked to the glossary entry), and
// `renderGlossary()` lists them all at the bottom of the page, so a touch screen without hover can read them too.
import { h } from './dom.ts';

/** The terms, keyed by the id their glossary entry gets (`term-<key>`). */
export const GLOSSARY = {
  chance: ['Chance', 'What a blind guess among the three outcomes (bearish, neutral, bullish) would get right: one time in three, 33%. A call is only worth something well above it.'],
  signal: ['No clear signal', 'The model speaks only when its top probability passes a threshold chosen on validation data; below it, the page says "no clear signal" and gives the probabilities anyway.'],
  band: ['Neutral band', 'The range of prices after the horizon that counts as "neutral"; a close below it is bearish, above it bullish. It is drawn from the asset\'s own volatility.'],
  confidence: ['Confidence', 'The model\'s probability for the outcome it names. Check it against chance (33%) and against the reliability diagram.'],
  backtest: ['Backtest', 'How the model did on past days it was not trained on. A past hit rate, not a promise.'],
  live: ['Live track record', 'How the predictions fared that were published before the outcome was known, each checked once its horizon passed.'],
  accuracy: ['Accuracy', 'The share of predictions whose direction came true.'],
  'macro-f1': ['Macro-F1', 'The average over the three outcomes of how well each was found (F1 combines "when it said so, was it right" and "when it happened, did it say so"). 0.33 is about what guessing gets; 1 is perfect.'],
  'log-loss': ['Log loss', 'How surprised the model was by what happened, averaged: lower is better; a model that always says 33/33/33 scores 1.10.'],
  brier: ['Brier score', 'The squared distance between the probabilities and what happened: lower is better; 0.67 is what always saying 33/33/33 scores.'],
  ece: ['ECE (calibration error)', 'Expected calibration error: how far the confidence is from the hit rate at that confidence, on average. 0 means "70% sure" comes true 70% of the time.'],
  reliability: ['Reliability diagram', 'Bars of how often predictions came true at each confidence; bars on the diagonal mean the confidence can be taken at its word.'],
  temperature: ['Temperature', 'A number fitted after training that softens (above 1) or sharpens (below 1) the probabilities so they match how often the model is right.'],
  persistence: ['Persistence', 'A simple rule the model must beat: predict that the last move of the same length repeats.'],
  majority: ['Majority class', 'A simple rule the model must beat: always predict the outcome that was most common in training.'],
  momentum: ['Momentum', 'A simple rule the model must beat: bullish when the 20-day average is above the 50-day one, else bearish.'],
  'walk-forward': ['Walk-forward evaluation', 'Test blocks predicted one after another, each by a model trained only on the days before it, as it would have run at the time.'],
  'permutation-importance': ['Permutation importance', 'How much the model leans on one input: that input is shuffled among the test days (everything else kept), the model predicts again, and the rise in its log loss is the input\'s importance. Near 0 means the model does without it; it says what the model uses, not what moves the price.'],
  placeholder: ['Placeholder feature', 'An input the model was designed with but has no real data for yet (filled with a neutral value); it cannot help the prediction.'],
  risk: ['Degen Risk Score', 'How violent the next weeks are likely to be for this asset, 0 to 100, from forecast volatility, crash odds, liquidity, size and age. Not a recommendation.'],
} as const satisfies Record<string, readonly [string, string]>;

/** A glossary key. */
export type TermKey = keyof typeof GLOSSARY;

/** `label` (default: the term's own name) marked as the term `key`: its definition as the tooltip, linked to the glossary. */
export function term(key: TermKey, label: string = GLOSSARY[key][0]): HTMLElement {
  return h('a', { class: 'term', href: `#term-${key}`, 'data-term': key, title: GLOSSARY[key][1] }, label);
}

/** The whole glossary as a definition list (#glossary), in the order above. */
export function renderGlossary(): HTMLElement {
  return h(
    'dl',
    { id: 'glossary', class: 'glossary' },
    ...Object.entries(GLOSSARY).flatMap(([key, [name, text]]) => [h('dt', { id: `term-${key}` }, name), h('dd', {}, text)]),
  );
}

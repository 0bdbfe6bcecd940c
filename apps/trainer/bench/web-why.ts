// The "why this call" case of the browser benchmark (issue #18): bench.html?case=why in PAGES fresh pages, each
// timing the attributions of one asset's newest prediction on the fused engine (why-card.ts's computation: the
// window's features, then integrated gradients over the ensemble) against that prediction itself in the same page
// (the baseline). Target: under 50 ms for the served model. Run by why.bench.ts and by web.bench.ts (on its model).
import type { Browser } from 'playwright-core';

/** What bench.html?case=why reports (apps/web/src/bench-why.ts). */
export interface WhyPageResult {
  case: 'why';
  symbol: string;
  horizonDays: number;
  networks: number;
  windowBars: number;
  lstmUnits: number[];
  steps: number;
  completenessGap: number;
  firstMs: number;
  attributions: { medianMs: number; reps: number };
  prediction: { medianMs: number; reps: number };
}

/** Fresh pages (each a cold engine) and timed calls per page. */
const PAGES = 5;
const REPS = 20;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function onePage(browser: Browser, url: string): Promise<WhyPageResult> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-state=ready], body[data-state=error]', { timeout: 300_000 });
    const text = (await page.textContent('#result')) ?? '';
    if (text.startsWith('Error')) throw new Error(`${url}: ${text}`);
    return JSON.parse(text) as WhyPageResult;
  } finally {
    await context.close();
  }
}

/** Runs the case against the server at `baseUrl`; returns every page's result. */
export async function benchWhyCase(browser: Browser, baseUrl: string, symbol: string, horizonDays = 7): Promise<WhyPageResult[]> {
  const pages: WhyPageResult[] = [];
  for (let i = 0; i < PAGES; i++) pages.push(await onePage(browser, `${baseUrl}/bench.html?case=why&symbol=${symbol}&horizon=${horizonDays}&reps=${REPS}`));
  return pages;
}

/** The case as a BENCHMARKS.md table. */
export function whyTable(pages: WhyPageResult[]): string[] {
  const p = pages[0]!;
  const why = median(pages.map((x) => x.attributions.medianMs)), pred = median(pages.map((x) => x.prediction.medianMs)), first = median(pages.map((x) => x.firstMs));
  const span = (xs: number[]) => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;
  return [
    `Attributions of ${p.symbol}'s ${p.horizonDays}-day prediction, ${p.networks} network(s) of ${p.lstmUnits.join('-')} units over ${p.windowBars}-day windows, ${p.steps} steps (completeness gap ${p.completenessGap.toExponential(2)}); ${pages.length} fresh pages × ${p.attributions.reps} calls.`,
    '',
    '| in Chromium, fused engine | ms (median of pages; range) | vs the prediction |',
    '|---|---:|---:|',
    `| one prediction (baseline: features, window, ${p.networks} networks, temperature) | ${pred.toFixed(2)} (${span(pages.map((x) => x.prediction.medianMs))}) | 1x |`,
    `| its attributions (features, window, integrated gradients) | **${why.toFixed(2)}** (${span(pages.map((x) => x.attributions.medianMs))}) | ${(why / pred).toFixed(1)}x |`,
    `| its attributions, first call in the page | ${first.toFixed(2)} (${span(pages.map((x) => x.firstMs))}) | |`,
  ];
}

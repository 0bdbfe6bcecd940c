// @coinsphere/serving/contract: every payload of the Coinsphere API as one zod schema, imported by the API (which
// validates requests with them and documents them at /openapi.json), the dashboard's client (which parses every
// answer with them) and the publisher. Declare a wire shape here and nowhere else. Browser-safe: plain zod and
// @coinsphere/model/core only; must not import node:*, hono or any runtime package.
export * from './common.ts';
export * from './predictions.ts';
export * from './catalog.ts';
export * from './risk.ts';
export * from './track-record.ts';
export * from './monitoring.ts';
export * from './attributions.ts';
export * from './overview.ts';

// @coinsphere/serving/node: the serving layer on Node. The store over @coinsphere/data (PostgreSQL or PGlite), the
// Redis serving cache and the cache a Node process uses. The API's Node entry and the trainer's publish use these;
// the Worker and the browser never do. (The serving settings, runtime-neutral, are in the package root.)
export { DrizzleStore } from './node/drizzle-store.ts';
export { RedisCache, type RedisCacheOptions } from './node/redis-cache.ts';
export { createNodeCache } from './node/node-cache.ts';

// drizzle-kit config: `npx drizzle-kit generate --config packages/data/drizzle.config.ts` writes SQL migrations
// from src/schema.ts into migrations/ (committed). Generation needs no database.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/data/src/schema.ts',
  out: './packages/data/migrations',
});

// The Node entry's dashboard: the Vite build's files at `/`, and its index.html for the client-side routes, mounted
// after the API's routes (whose catch-all keeps unknown /v1 paths a JSON 404, app.ts). Node only: serveStatic reads
// the file system.
import { existsSync } from 'node:fs';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';

/**
 * Serves the dashboard build in `webDist` from `app`: a file when one matches the path, else index.html for any
 * other GET (a client-side route). Call after the API's routes are registered. Returns false, mounting nothing,
 * when the folder does not exist (the API alone is served).
 */
export function serveDashboard(app: OpenAPIHono, webDist: string): boolean {
  if (!existsSync(webDist)) return false;
  app.use('/*', serveStatic({ root: webDist }));
  app.get('/*', serveStatic({ root: webDist, path: 'index.html' })); // client-side routes
  return true;
}

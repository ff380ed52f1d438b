import { Hono } from 'hono';
import { count } from 'drizzle-orm';
import type { Deps } from './deps.js';
import { databaseReachable } from './db/health.js';
import { metrics } from './db/schema.js';
import { eq } from 'drizzle-orm';
import { eventSink, type EventPathOptions } from './eventPath.js';
import { receiveLarkRequest } from './lark/receiveLarkRequest.js';
import { boardRoutes } from './board/boardRoutes.js';

export type Route = (app: Hono, deps: Deps) => void;

/**
 * The HTTP surface, the same on Node and Workers. Feature routes (Lark events, card callbacks) are
 * registered through `routes` so this file stays the map of what is served.
 */
export function createApp(deps: Deps, routes: Route[] = [], opts: { lark?: EventPathOptions } = {}): Hono {
  const app = new Hono();

  // Lark's event subscription request URL and its card callback URL (the same handling: card
  // clicks can arrive at either, as Lark lets one URL serve both).
  const sink = eventSink(deps, opts.lark);
  app.post('/lark/events', (c) => receiveLarkRequest(deps, c.req.raw, 'events', sink, opts.lark));
  app.post('/lark/card', (c) => receiveLarkRequest(deps, c.req.raw, 'card', sink, opts.lark));

  app.get('/healthz', async (c) => {
    const dbOk = await databaseReachable(deps.db);
    let metricCount = 0;
    if (dbOk) {
      const [row] = await deps.db.select({ n: count() }).from(metrics).where(eq(metrics.year, deps.catalog.year));
      metricCount = row?.n ?? 0;
    }
    const ok = dbOk && metricCount > 0;
    return c.json(
      {
        ok,
        database: dbOk ? 'reachable' : 'unreachable',
        catalog: { year: deps.catalog.year, metrics: metricCount, projects: deps.catalog.projects.length },
        mode: deps.config.localMode ? 'local' : 'lark',
        eventMode: deps.config.LARK_EVENT_MODE,
        now: deps.clock.now().toISOString(),
      },
      ok ? 200 : 503,
    );
  });

  // The progress board (signed links, server-rendered HTML and SVG).
  boardRoutes(app, deps);

  for (const route of routes) route(app, deps);

  app.notFound((c) => c.json({ error: 'not_found' }, 404));
  app.onError((err, c) => {
    deps.log.error('http_unhandled', { path: c.req.path, error: err.message });
    return c.json({ error: 'internal_error' }, 500);
  });
  return app;
}

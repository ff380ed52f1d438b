import type { Context, Hono } from 'hono';
import type { Deps } from '../deps.js';
import { getThresholds } from '../settings/settings.js';
import { localDate } from '../workdays/zoned.js';
import { checkBoardAccess } from './boardLink.js';
import { boardDigest, metricHistory } from './boardData.js';
import { boardPage, deniedPage, metricPage, projectPage, type Href } from './boardPages.js';

// GET /board, /board/p/:no, /board/m/:id on both runtimes (the same Hono app). Every page needs a
// signed link (?t=…); links inside the board carry it on. Pages are never cached and never send a
// Referer (the token is in the address), and the CSP allows nothing but the page's own inline CSS
// and SVG: no script, no outside host.

const HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex, nofollow',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
};

function html(c: Context, body: string, status: 200 | 401 | 403 | 404 | 503 = 200): Response {
  return c.html(body, status, HEADERS);
}

export function boardRoutes(app: Hono, deps: Deps): void {
  /** The visitor's access, or the refusal page. */
  const guard = async (c: Context): Promise<{ href: Href; date: string } | Response> => {
    const token = c.req.query('t');
    const access = await checkBoardAccess(deps, token);
    if (!access.ok) {
      deps.log.info('board_refused', { path: c.req.path, reason: access.reason });
      const status = access.reason === 'disabled' ? 503 : access.reason === 'missing' ? 401 : 403;
      return html(c, deniedPage(access.reason), status);
    }
    deps.log.info('board_view', { path: c.req.path, sub: access.grant.sub });
    const href: Href = (path) => `${path}?t=${encodeURIComponent(token!)}`;
    return { href, date: localDate(deps.clock.now(), deps.config.BOT_TIMEZONE) };
  };

  const notFound = (c: Context, what: string, href: Href) =>
    html(
      c,
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>没有找到</title></head><body style="font-family:sans-serif;padding:24px"><h1 style="font-size:20px">没有${what}</h1><p><a href="${href('/board')}">返回看板</a></p></body></html>`,
      404,
    );

  app.get('/board', async (c) => {
    const g = await guard(c);
    if (g instanceof Response) return g;
    return html(c, boardPage(await boardDigest(deps, g.date), deps.catalog, g.href));
  });

  app.get('/board/p/:no', async (c) => {
    const g = await guard(c);
    if (g instanceof Response) return g;
    const no = Number(c.req.param('no'));
    if (!Number.isInteger(no) || !deps.catalog.project(no)) return notFound(c, '这个项目', g.href);
    return html(c, projectPage(await boardDigest(deps, g.date), deps.catalog, no, g.href));
  });

  app.get('/board/m/:id', async (c) => {
    const g = await guard(c);
    if (g instanceof Response) return g;
    const id = c.req.param('id');
    if (!deps.catalog.metric(id)) return notFound(c, '这项指标', g.href);
    const thresholds = await getThresholds(deps.db);
    const [d, history] = await Promise.all([boardDigest(deps, g.date), metricHistory(deps, id, g.date, thresholds)]);
    const m = d.metrics.find((x) => x.id === id)!;
    return html(c, metricPage(d, m, history, deps.catalog, g.href));
  });
}

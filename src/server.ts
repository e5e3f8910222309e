import type { AddressInfo } from 'net';
import restify from 'restify';
import { isLocalMode, type Config } from './config';
import { UserError } from './errors';
import { createApp, type AppDeps, type CreateAppOptions } from './app';
import { registerTabRoutes } from './tab/routes';
import { registerBroadcastRoutes } from './broadcasts/routes';
import { createTeamsBot, handleMessages, type ParsedRequest, type TeamsBot, type WebResponse } from './teams';

/**
 * The web server (restify 11):
 *   POST /api/messages  Bot Framework activities (src/teams)
 *   GET  /api/health    liveness + store ping
 *   …plus every capability's routes from ROUTES below (tab pages, /api/tab/*, .ics downloads).
 *
 * Local mode (no MicrosoftAppId): requests are unauthenticated, so the server listens on 127.0.0.1 only.
 */

/** A capability's HTTP routes. Add one line to ROUTES for yours (e.g. `registerTabRoutes` from src/tab). */
export type RouteRegistrar = (server: restify.Server, deps: AppDeps) => void;

const ROUTES: RouteRegistrar[] = [
  registerTabRoutes, // src/tab: /tab/*, /api/tab/*
  registerBroadcastRoutes, // src/broadcasts: /api/calendar/:token.ics, /api/minutes/:token
];

/**
 * Invokes handled at once per process; more wait in arrival order. Under a burst (500 directors pressing a card's
 * button at the same moment) hundreds of turns at once only share the CPU, so every answer comes late and the
 * unlucky ones very late; a short FIFO queue in front keeps the waiting fair and the turns in flight few.
 */
export const MAX_CONCURRENT_INVOKES = 16;

/** A first-come-first-served limit of `max` tasks at once. */
export function fifoGate(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** Largest request body accepted (activities are small; files arrive as download URLs). */
export const MAX_BODY_BYTES = 512 * 1024;

export interface StartOptions extends CreateAppOptions {
  /** 0 picks a free port. Default: config.PORT. */
  port?: number;
  /** Default: 127.0.0.1 in local mode, all interfaces otherwise. */
  host?: string;
  /** Extra route registrars (tests). */
  routes?: RouteRegistrar[];
}

export interface RunningServer {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  deps: AppDeps;
  bot: TeamsBot;
  server: restify.Server;
  /** Stops accepting requests, waits for running ones (at most 5 s), closes the app (workers, store). */
  close(): Promise<void>;
}

export function createServer(deps: AppDeps, bot: TeamsBot, extraRoutes: RouteRegistrar[] = []): restify.Server {
  const server = restify.createServer({ name: 'forumbot' });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // maxBodySize is read by the body reader; the typings miss it
  server.use(restify.plugins.jsonBodyParser({ mapParams: false, maxBodySize: MAX_BODY_BYTES } as restify.plugins.JsonBodyParserOptions));

  const invokes = fifoGate(MAX_CONCURRENT_INVOKES);
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    const run = () => handleMessages(bot, req as unknown as ParsedRequest, res as unknown as WebResponse);
    // invokes (card buttons) wait for their answer in Teams: served first come, first served, a few at a time
    if ((req.body as { type?: unknown } | undefined)?.type === 'invoke') await invokes(run);
    else await run();
  });

  server.get('/api/health', async (_req: restify.Request, res: restify.Response) => {
    const body: Record<string, unknown> = { status: 'ok', mode: isLocalMode(deps.config) ? 'local' : 'authenticated', store: deps.db.engine };
    try {
      await deps.db.query('select 1');
      res.send(200, body);
    } catch (err) {
      deps.log.error({ err }, 'health check: store not answering');
      res.send(503, { ...body, status: 'error', error: 'store not answering' });
    }
  });

  const routes = lenientRoutes(server);
  for (const register of [...ROUTES, ...extraRoutes]) register(routes, deps);

  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) deps.log.error({ err, method: req.method, url: req.url }, 'request failed');
    else deps.log.info({ status, method: req.method, url: req.url, error: err.message }, 'request rejected');
    // never leak stack traces or internal messages in 5xx bodies
    if (status >= 500) {
      // restify would send a plain Error's message (and so its internals): make it a generic 500
      err.statusCode = status;
      (err as { toJSON?: () => unknown }).toJSON = () => ({ code: 'InternalError', message: 'internal error' });
    }
    cb();
  });
  return server;
}

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'del', 'patch', 'head', 'opts']);

/**
 * restify 11 refuses a handler that is neither `async (req, res)` nor `(req, res, next)` and throws at
 * start-up. Route registrars get a view of the server where a plain `(req, res) => …` handler is wrapped
 * into an async one, so any of the three styles works.
 */
function lenientRoutes(server: restify.Server): restify.Server {
  type Handler = (...args: unknown[]) => unknown;
  const wrap = (h: unknown): unknown => {
    if (Array.isArray(h)) return h.map(wrap);
    if (typeof h !== 'function' || h.length >= 3 || h.constructor.name === 'AsyncFunction') return h;
    const fn = h as Handler;
    return async (req: unknown, res: unknown) => {
      await fn(req, res);
    };
  };
  return new Proxy(server, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      if (typeof prop === 'string' && ROUTE_METHODS.has(prop)) {
        return (opts: unknown, ...handlers: unknown[]) => (v as Handler).call(target, opts, ...handlers.map(wrap));
      }
      return (v as Handler).bind(target);
    },
  });
}

/** Builds the app (unless `deps` is given), the bot and the server, and listens. Tests call this in-process. */
export async function startServer(config: Config, opts: StartOptions & { deps?: AppDeps } = {}): Promise<RunningServer> {
  const deps = opts.deps ?? (await createApp(config, opts));
  const local = isLocalMode(config);
  const host = opts.host ?? (local ? '127.0.0.1' : '0.0.0.0');
  const port = opts.port ?? config.PORT;
  let bot: TeamsBot;
  let server: restify.Server;
  try {
    bot = createTeamsBot(deps);
    server = createServer(deps, bot, opts.routes);
    await new Promise<void>((resolve, reject) => {
      // restify re-emits the http server's errors (EADDRINUSE) on itself
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    // nothing half-started stays behind (workers, the store we opened)
    if (!opts.deps) await deps.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UserError(`port ${port} on ${host} is already in use (set PORT or use --port)`, 'port_in_use');
    throw err;
  }
  const actual = (server.server.address() as AddressInfo).port;
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${actual}`;
  if (local) {
    deps.log.warn(
      { url },
      `LOCAL MODE: no MicrosoftAppId is set, so requests to /api/messages are NOT authenticated. Listening on ${host} only. Set MicrosoftAppId and MicrosoftAppPassword to run against Teams.`,
    );
  } else {
    deps.log.info({ url, host, appType: config.MicrosoftAppType }, 'Bot Framework authentication is on');
  }
  deps.log.info({ url }, `forumbot listening on ${host}:${actual}`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.server.closeAllConnections(), 5000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.server.closeIdleConnections();
      });
      if (!opts.deps) await deps.close();
    })());
  return { url, port: actual, deps, bot, server, close };
}

import fs from 'fs';
import path from 'path';
import type restify from 'restify';
import type { AppDeps } from '../app';
import { isLocalMode } from '../config';
import { MANIFEST_DIR } from './manifest';
import { filters, myProcedures, searchDecisions, upcoming, type Lang } from './service';
import { bearer, devUser, SsoError, verifierFromConfig, type TabUser, type TokenVerifier } from './sso';

/**
 * The personal tab's routes on the bot's restify server:
 *   GET /tab/…                       the static page (tab/), with the CSP frame-ancestors Teams needs
 *   GET /tab/vendor/teams-js.js      @microsoft/teams-js's browser bundle, from node_modules (no CDN)
 *   GET /api/tab/me                  who I am, local mode or not, forum and year filters
 *   GET /api/tab/meetings            upcoming meetings with their agenda items and .ics links (src/broadcasts' route)
 *   GET /api/tab/search?q=&forum=&year=&lang=
 *   GET /api/tab/procedures          my open written procedures
 * /api/tab/* needs `Authorization: Bearer <SSO token>` (verified in ./sso); 401 otherwise. In local mode
 * (no app id) requests without a token get the development identity.
 */

export const TAB_DIR = path.join(__dirname, '..', '..', 'tab');

/** The hosts that may frame the tab: Teams (web, desktop, government clouds), Outlook and the Microsoft 365 app. */
export const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.microsoft.us',
  'https://gov.teams.microsoft.us',
  'https://dod.teams.microsoft.us',
  'https://*.teams.microsoft.us',
  'https://local.teams.office.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://*.microsoft365.com',
  'https://*.officeapps.live.com',
];

/**
 * Content-Security-Policy of the tab's pages. In Teams, teams-js also fetches its list of valid host
 * origins from Microsoft's CDN (it has a built-in fallback); in local mode nothing leaves the machine.
 */
export function tabCsp(local: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    local ? "connect-src 'self'" : "connect-src 'self' https://res.cdn.office.net",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${FRAME_ANCESTORS.join(' ')}`,
  ].join('; ');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

/** The browser bundle of @microsoft/teams-js (UMD, defines window.microsoftTeams). */
export function teamsJsBundle(): string {
  return path.join(path.dirname(require.resolve('@microsoft/teams-js/package.json')), 'dist', 'umd', 'MicrosoftTeams.min.js');
}

function securityHeaders(res: restify.Response, csp: string): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
}

function sendFile(res: restify.Response, file: string, cache: string, csp: string): void {
  const body = fs.readFileSync(file);
  securityHeaders(res, csp);
  res.setHeader('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream');
  res.setHeader('Cache-Control', cache);
  res.writeHead(200);
  res.end(body);
}

function sendError(res: restify.Response, status: number, code: string, message: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.send(status, { error: { code, message } });
}

export function registerTabRoutes(server: restify.Server, deps: AppDeps): void {
  const local = isLocalMode(deps.config);
  const csp = tabCsp(local);
  let verifier: TokenVerifier | null | undefined;
  let verifierError: string | null = null;
  const getVerifier = (): TokenVerifier | null => {
    if (verifier === undefined) {
      try {
        verifier = verifierFromConfig(deps.config);
      } catch (e) {
        verifier = null;
        verifierError = (e as Error).message;
        deps.log.error({ err: e }, 'tab SSO is not configured: set MicrosoftAppTenantId or ALLOWED_TENANT_IDS');
      }
    }
    return verifier;
  };

  /** The user behind a request, or null after answering 401/503. */
  async function authenticate(req: restify.Request, res: restify.Response): Promise<TabUser | null> {
    const token = bearer(req.headers.authorization);
    if (local) return devUser(deps.config);
    const v = getVerifier();
    if (!v) {
      sendError(res, 503, 'SsoNotConfigured', verifierError ?? 'single sign-on is not configured');
      return null;
    }
    try {
      return await v(token);
    } catch (e) {
      const code = e instanceof SsoError ? e.code : 'invalid_token';
      deps.log.info({ code, error: (e as Error).message, url: req.url }, 'tab request refused');
      res.setHeader('WWW-Authenticate', `Bearer error="invalid_token"`);
      sendError(res, 401, 'Unauthorized', token ? 'the token was not accepted' : 'a bearer token is required');
      return null;
    }
  }

  const langOf = (req: restify.Request): Lang => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    return q.lang === 'en' ? 'en' : 'da';
  };

  /** Wraps an API handler: authentication, JSON, errors without stack traces. */
  const api =
    (fn: (req: restify.Request, res: restify.Response, user: TabUser) => Promise<unknown>) =>
    async (req: restify.Request, res: restify.Response): Promise<void> => {
      try {
        const user = await authenticate(req, res);
        if (!user) return;
        const body = await fn(req, res, user);
        if (body !== undefined) {
          res.setHeader('Cache-Control', 'no-store');
          res.send(200, body);
        }
      } catch (err) {
        deps.log.error({ err, url: req.url }, 'tab request failed');
        if (!res.headersSent) sendError(res, 500, 'InternalError', 'internal error');
      }
    };

  // ---- the page ------------------------------------------------------------------------------
  server.get('/tab', async (_req: restify.Request, res: restify.Response) => {
    res.setHeader('Location', '/tab/');
    res.writeHead(302);
    res.end();
  });
  server.get('/tab/vendor/teams-js.js', async (_req: restify.Request, res: restify.Response) => {
    sendFile(res, teamsJsBundle(), 'public, max-age=86400', csp);
  });
  server.get('/tab/icon.png', async (_req: restify.Request, res: restify.Response) => {
    sendFile(res, path.join(MANIFEST_DIR, 'color.png'), 'public, max-age=86400', csp);
  });
  server.get('/tab/*', async (req: restify.Request, res: restify.Response) => {
    const rel = decodeURIComponent(String((req.params as Record<string, string>)['*'] ?? '')) || 'index.html';
    // only plain file names in tab/ itself: no paths, no dot files
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(rel) || rel.includes('..') || !TYPES[path.extname(rel)]) {
      sendError(res, 404, 'NotFound', 'not found');
      return;
    }
    const file = path.join(TAB_DIR, rel);
    if (!fs.existsSync(file)) {
      sendError(res, 404, 'NotFound', 'not found');
      return;
    }
    sendFile(res, file, rel.endsWith('.html') ? 'no-cache' : 'public, max-age=300', csp);
  });

  // ---- the API --------------------------------------------------------------------------------
  server.get(
    '/api/tab/me',
    api(async (_req, _res, user) => {
      const secretariat = deps.config.SECRETARIAT_AAD_IDS.some((s) => s.toLowerCase() === user.aadObjectId.toLowerCase());
      return { user: { name: user.name, aadObjectId: user.aadObjectId, dev: user.dev }, localMode: local, secretariat, ...(await filters(deps)) };
    }),
  );

  server.get(
    '/api/tab/meetings',
    api(async (req) => {
      const q = (req.query ?? {}) as Record<string, string>;
      return { meetings: await upcoming(deps, { forumId: q.forum || undefined }) };
    }),
  );

  server.get(
    '/api/tab/search',
    api(async (req) => {
      const q = (req.query ?? {}) as Record<string, string>;
      const year = q.year && /^\d{4}$/.test(q.year) ? Number(q.year) : null;
      return searchDecisions(deps, { q: String(q.q ?? ''), forumId: q.forum || null, year, lang: langOf(req) });
    }),
  );

  server.get(
    '/api/tab/procedures',
    api(async (_req, _res, user) => ({ procedures: await myProcedures(deps, user.aadObjectId) })),
  );
}

import type restify from 'restify';
import type { AppDeps } from '../app';
import { getMeeting, type StoredMeeting } from '../store/meetings';
import { FRAME_ANCESTORS } from '../tab/routes';
import { formatMeetingTime, OUTCOME_BADGES } from './cards';
import { meetingForToken, meetingIcs } from './ics';

/**
 * HTTP routes of the broadcasts capability (unguessable tokens, no sign-in: the links sit in the cards):
 *   GET /api/calendar/:token.ics  the meeting as an .ics file (Europe/Copenhagen, place, agenda)
 *   GET /api/minutes/:token       the full minutes (or agenda) as a plain HTML page: the "Vis hele referatet"
 *                                 dialog when its card would be too large (`?dialog=1`: loads teams-js and
 *                                 calls app.initialize(), which a page in a Teams dialog must), "Åbn i browseren",
 *                                 and the link in the summary card's fallback text for clients without cards
 *   GET /api/minutes-dialog.js    that initialisation (the page's CSP allows no inline script)
 */
export function registerBroadcastRoutes(server: restify.Server, deps: AppDeps): void {
  server.get('/api/calendar/:file', async (req: restify.Request, res: restify.Response) => {
    const file = String(req.params.file ?? '');
    const token = file.replace(/\.ics$/i, '');
    const meetingId = await meetingForToken(deps.db, token);
    const m = meetingId ? await getMeeting(deps.db, meetingId) : null;
    if (!m || !m.start) {
      res.send(404, { error: { code: 'NotFound', message: 'no such calendar file' } });
      return;
    }
    const body = meetingIcs(m, { baseUrl: deps.config.PUBLIC_BASE_URL, now: deps.now() });
    res.writeHead(200, {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': `attachment; filename="${m.id.replace(/[^A-Za-z0-9_.-]/g, '_')}.ics"`,
      'cache-control': 'private, max-age=60',
    });
    res.end(body);
  });

  server.get('/api/minutes/:token', async (req: restify.Request, res: restify.Response) => {
    const meetingId = await meetingForToken(deps.db, String(req.params.token ?? ''));
    const m = meetingId ? await getMeeting(deps.db, meetingId) : null;
    if (!m) {
      res.send(404, { error: { code: 'NotFound', message: 'no such page' } });
      return;
    }
    const dialog = String((req.query as Record<string, unknown> | undefined)?.dialog ?? '') === '1';
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'private, max-age=60',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': MINUTES_CSP,
    });
    res.end(minutesPage(m, { dialog }));
  });

  server.get('/api/minutes-dialog.js', async (_req: restify.Request, res: restify.Response) => {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' });
    res.end(DIALOG_SCRIPT);
  });
}

/** The minutes page: its own inline style only, scripts from this server (teams-js), framed by Teams hosts only. */
const MINUTES_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self' https://res.cdn.office.net",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  `frame-ancestors ${FRAME_ANCESTORS.join(' ')}`,
].join('; ');

/** In a Teams dialog: tell Teams the page has loaded (otherwise the dialog reports that the app did not answer). */
const DIALOG_SCRIPT = `(function () {
  var mt = window.microsoftTeams;
  if (!mt || window.parent === window) return;
  mt.app.initialize().then(function () { return mt.app.notifySuccess(); }).catch(function () {});
})();
`;

const esc = (s: string | null | undefined) =>
  (s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const para = (s: string | null | undefined) => esc(s).replace(/\n{2,}/g, '</p><p>').replace(/\n/g, '<br>');

export function minutesPage(m: StoredMeeting, opts: { dialog?: boolean } = {}): string {
  const title = m.title ?? `Møde i ${m.forum}`;
  const people = (ps: Array<{ name: string; organisation: string | null }>) => ps.map((p) => esc(p.organisation ? `${p.name}, ${p.organisation}` : p.name)).join('<br>');
  const items = m.items
    .map((i) => {
      const b = i.outcome ? OUTCOME_BADGES[i.outcome] : null;
      return `<section><h2>${i.number}. ${esc(i.title)}${b ? ` <small>(${esc(b.da)})</small>` : ''}</h2>
${i.background ? `<h3>Sagsfremstilling</h3><p>${para(i.background)}</p>` : ''}
${i.recommendation ? `<h3>Indstilling</h3><p>${para(i.recommendation)}</p>` : ''}
${i.decision ? `<h3>Beslutning</h3><p>${para(i.decision)}</p>` : ''}
${i.attachments.length ? `<h3>Bilag</h3><p>${i.attachments.map(esc).join('<br>')}</p>` : ''}</section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>${opts.dialog ? '<script src="/tab/vendor/teams-js.js"></script><script src="/api/minutes-dialog.js"></script>' : ''}<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:.95rem;margin-bottom:0}small{font-weight:normal;color:#555}</style></head>
<body><p>${esc(m.forum)} · ${m.status === 'minutes' ? 'Referat' : 'Dagsorden'}</p><h1>${esc(title)}</h1>
<p>${esc(formatMeetingTime(m.start, m.end) ?? '')}${m.location ? `<br>${esc(m.location)}` : ''}</p>
${m.participants.length ? `<details><summary>Deltagere (${m.participants.length})</summary><p>${people(m.participants)}</p></details>` : ''}
${m.absent.length ? `<details><summary>Afbud (${m.absent.length})</summary><p>${people(m.absent)}</p></details>` : ''}
${items}</body></html>`;
}

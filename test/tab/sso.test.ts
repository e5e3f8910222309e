import pino from 'pino';
import { SignJWT, UnsecuredJWT, type KeyLike } from 'jose';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { bearer, createTokenVerifier, SsoError, verifierFromConfig } from '../../src/tab/sso';
import { startLocalJwks, type LocalJwks } from './jwks';

/**
 * Tab SSO: tokens signed with keys made here, published by a local JWKS server, checked by the verifier
 * (signature, exp, aud, iss, tid, scp) and by the real server's /api/tab/* routes (401 for anything wrong).
 */

const APP_ID = '6f1c2a4e-3b5d-4c7e-9f10-2a3b4c5d6e7f';
const TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';
const AUDIENCE = `api://forumbot.example.dk/${APP_ID}`;
const USER_OID = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';

let jwks: LocalJwks;
let keys: LocalJwks['keys'];
let otherKeys: LocalJwks['otherKeys'];
let jwksUrl: string;

beforeAll(async () => {
  jwks = await startLocalJwks();
  ({ keys, otherKeys, url: jwksUrl } = jwks);
});

afterAll(async () => {
  await jwks?.close();
});

interface TokenOpts {
  aud?: string;
  tid?: string;
  iss?: string;
  scp?: string;
  expiresIn?: string | number;
  key?: KeyLike;
  kid?: string;
  oid?: string | null;
}

async function token(o: TokenOpts = {}): Promise<string> {
  const tid = o.tid ?? TENANT;
  const claims: Record<string, unknown> = { tid, scp: o.scp ?? 'access_as_user', name: 'Frida Fjord', preferred_username: 'frida@egekrogen.example', ver: '1.0' };
  if (o.oid !== null) claims.oid = o.oid ?? USER_OID;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'test-key-1', typ: 'JWT' })
    .setIssuer(o.iss ?? `https://sts.windows.net/${tid}/`)
    .setAudience(o.aud ?? AUDIENCE)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(o.expiresIn ?? '1h');
  return jwt.sign(o.key ?? keys.privateKey);
}

async function expired(): Promise<string> {
  const past = Math.floor(Date.now() / 1000) - 3 * 3600;
  return new SignJWT({ tid: TENANT, scp: 'access_as_user', oid: USER_OID })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' })
    .setIssuer(`https://sts.windows.net/${TENANT}/`)
    .setAudience(AUDIENCE)
    .setIssuedAt(past - 3600)
    .setExpirationTime(past)
    .sign(keys.privateKey);
}

describe('token verifier', () => {
  const verify = () => createTokenVerifier({ jwks: jwksUrl, audiences: [AUDIENCE, APP_ID], allowedTenants: [TENANT] });

  test('a valid token gives the user (oid, tenant, name) and the keys come from the JWKS URL', async () => {
    const before = jwks.hits();
    const user = await verify()(await token());
    expect(user).toEqual({ aadObjectId: USER_OID, tenantId: TENANT, name: 'Frida Fjord', upn: 'frida@egekrogen.example', dev: false });
    expect(jwks.hits()).toBeGreaterThan(before);
  });

  test('a v2 token (aud = app id, v2 issuer) is accepted too', async () => {
    const user = await verify()(await token({ aud: APP_ID, iss: `https://login.microsoftonline.com/${TENANT}/v2.0` }));
    expect(user.aadObjectId).toBe(USER_OID);
  });

  const refused: Array<[string, () => Promise<string>, string]> = [
    ['expired', () => expired(), 'expired'],
    ['wrong audience', () => token({ aud: 'api://someone-else.example/abc' }), 'bad_aud'],
    ['wrong tenant', () => token({ tid: OTHER_TENANT }), 'tenant_not_allowed'],
    ['wrong signature (same kid, another key)', () => token({ key: otherKeys.privateKey }), 'bad_signature'],
    ['unknown key id', () => token({ key: otherKeys.privateKey, kid: 'not-published' }), 'unknown_key'],
    ['issuer of another tenant', () => token({ iss: `https://sts.windows.net/${OTHER_TENANT}/` }), 'bad_issuer'],
    ['scope missing access_as_user', () => token({ scp: 'User.Read' }), 'bad_scope'],
    ['no oid', () => token({ oid: null }), 'no_oid'],
    ['unsigned (alg none)', async () => new UnsecuredJWT({ tid: TENANT, scp: 'access_as_user', oid: USER_OID }).setAudience(AUDIENCE).setIssuer(`https://sts.windows.net/${TENANT}/`).setExpirationTime('1h').encode(), 'bad_alg'],
    ['garbage', async () => 'not-a-token', 'missing_token'],
  ];
  test.each(refused)('%s is refused', async (_name, make, code) => {
    const err = await verify()(await make()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SsoError);
    expect((err as SsoError).code).toBe(code);
  });

  test('bearer() reads the Authorization header', () => {
    expect(bearer('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearer('bearer   x')).toBe('x');
    expect(bearer('Basic abc')).toBe('');
    expect(bearer(undefined)).toBe('');
  });

  test('the configured verifier: tenants from ALLOWED_TENANT_IDS (or the bot tenant), audience api://<domain>/<app id>', async () => {
    const config = loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT, PUBLIC_BASE_URL: 'https://forumbot.example.dk', TAB_SSO_JWKS_URL: jwksUrl });
    const v = verifierFromConfig(config)!;
    expect((await v(await token())).aadObjectId).toBe(USER_OID);
    const other = verifierFromConfig({ ...config, ALLOWED_TENANT_IDS: [OTHER_TENANT] })!;
    await expect(other(await token())).rejects.toMatchObject({ code: 'tenant_not_allowed' });
    expect(verifierFromConfig(loadConfig({}))).toBeNull(); // local mode: the development identity
  });
});

describe('/api/tab/* with single sign-on', () => {
  let db: Db;
  let server: RunningServer;

  beforeAll(async () => {
    db = await openDb({ dataDir: 'memory://' });
    const config = loadConfig({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-used-here',
      MicrosoftAppTenantId: TENANT,
      PUBLIC_BASE_URL: 'https://forumbot.example.dk',
      TAB_SSO_JWKS_URL: jwksUrl,
      SECRETARIAT_AAD_IDS: USER_OID,
    });
    server = await startServer(config, { port: 0, host: '127.0.0.1', db, log: pino({ level: 'silent' }) });
  });

  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const get = (path: string, tok?: string) => fetch(`${server.url}${path}`, { headers: tok ? { authorization: `Bearer ${tok}` } : {} });

  test('a valid token gets the user behind it', async () => {
    const res = await get('/api/tab/me', await token());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toEqual({ name: 'Frida Fjord', aadObjectId: USER_OID, dev: false });
    expect(body.localMode).toBe(false);
    expect(body.secretariat).toBe(true);
  });

  test.each([
    ['no token', async () => undefined],
    ['expired', () => expired()],
    ['wrong audience', () => token({ aud: 'api://other.example/x' })],
    ['wrong tenant', () => token({ tid: OTHER_TENANT })],
    ['wrong signature', () => token({ key: otherKeys.privateKey })],
    ['unsigned', async () => new UnsecuredJWT({ tid: TENANT, scp: 'access_as_user', oid: USER_OID }).setAudience(AUDIENCE).setIssuer(`https://sts.windows.net/${TENANT}/`).setExpirationTime('1h').encode()],
  ])('%s → 401 on every tab API', async (_name, make) => {
    const tok = await make();
    for (const path of ['/api/tab/me', '/api/tab/meetings', '/api/tab/search?q=takster', '/api/tab/procedures']) {
      const res = await get(path, tok);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = await res.json();
      expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.ts/);
    }
  });

  test('the page itself needs no token and carries the frame-ancestors Teams needs', async () => {
    const res = await get('/tab/');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-ancestors [^;]*https:\/\/teams\.microsoft\.com/);
    expect(csp).toMatch(/frame-ancestors [^;]*https:\/\/\*\.cloud\.microsoft/);
    expect(await res.text()).toContain('vendor/teams-js.js');
  });
});

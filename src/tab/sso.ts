import { createRemoteJWKSet, jwtVerify, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config';
import { isLocalMode } from '../config';
import { ssoResource } from './manifest';

/**
 * Verifies the SSO token the tab gets from `authentication.getAuthToken()` (DESIGN section 6):
 *  - the signature against Entra's signing keys (a JWKS; TAB_SSO_JWKS_URL, local in tests), RS256 only;
 *  - `exp`/`nbf` (2 minutes' clock tolerance);
 *  - `aud`: the tab's application id URI (api://<domain>/<app id>) or, for v2 tokens, the app id itself;
 *  - `tid`: in ALLOWED_TENANT_IDS (empty: the bot's own tenant, MicrosoftAppTenantId);
 *  - `iss`: Entra's issuer for that same tenant (v1 `https://sts.windows.net/<tid>/` or v2 `https://login.microsoftonline.com/<tid>/v2.0`);
 *  - `scp` contains `access_as_user`.
 * Anything else is an SsoError, which the routes answer with 401.
 */

export interface TabUser {
  /** Entra object id (`oid`). */
  aadObjectId: string;
  tenantId: string;
  name: string | null;
  /** preferred_username / upn. */
  upn: string | null;
  /** The local development identity (no app id configured). */
  dev: boolean;
}

export class SsoError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'SsoError';
  }
}

export interface SsoOptions {
  /** A JWKS URL or a key resolver (tests may pass `createLocalJWKSet`). */
  jwks: string | JWTVerifyGetKey;
  /** Accepted `aud` values. */
  audiences: string[];
  /** Accepted `tid` values (compared case-insensitively). */
  allowedTenants: string[];
  /** Seconds of clock skew allowed for exp/nbf. */
  clockToleranceSec?: number;
  /** The clock (tests). */
  now?: () => Date;
}

export type TokenVerifier = (token: string) => Promise<TabUser>;

const REQUIRED_SCOPE = 'access_as_user';

export function createTokenVerifier(opts: SsoOptions): TokenVerifier {
  const keys: JWTVerifyGetKey = typeof opts.jwks === 'string' ? createRemoteJWKSet(new URL(opts.jwks), { cooldownDuration: 30_000, cacheMaxAge: 12 * 3_600_000 }) : opts.jwks;
  const audiences = opts.audiences.filter(Boolean);
  const tenants = new Set(opts.allowedTenants.map((t) => t.toLowerCase()));
  if (audiences.length === 0) throw new Error('SSO: no audience configured');
  if (tenants.size === 0) throw new Error('SSO: no allowed tenant configured');

  return async (token: string): Promise<TabUser> => {
    if (!token || typeof token !== 'string' || token.split('.').length !== 3) throw new SsoError('no bearer token', 'missing_token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        audience: audiences,
        clockTolerance: opts.clockToleranceSec ?? 120,
        currentDate: opts.now?.(),
        requiredClaims: ['exp', 'iss', 'tid'],
      }));
    } catch (e) {
      throw new SsoError(describeJoseError(e), joseCode(e));
    }
    const tid = String(payload.tid ?? '').toLowerCase();
    if (!tenants.has(tid)) throw new SsoError(`tenant ${tid} is not allowed`, 'tenant_not_allowed');
    const iss = String(payload.iss ?? '');
    const okIssuers = [`https://sts.windows.net/${tid}/`, `https://login.microsoftonline.com/${tid}/v2.0`];
    if (!okIssuers.includes(iss.toLowerCase())) throw new SsoError(`issuer ${iss} does not match the tenant`, 'bad_issuer');
    const scopes = String(payload.scp ?? '').split(/\s+/);
    if (!scopes.includes(REQUIRED_SCOPE)) throw new SsoError(`scope ${REQUIRED_SCOPE} is missing`, 'bad_scope');
    const oid = typeof payload.oid === 'string' ? payload.oid : '';
    if (!oid) throw new SsoError('the token has no oid', 'no_oid');
    return {
      aadObjectId: oid,
      tenantId: tid,
      name: typeof payload.name === 'string' ? payload.name : null,
      upn: typeof payload.preferred_username === 'string' ? payload.preferred_username : typeof payload.upn === 'string' ? payload.upn : null,
      dev: false,
    };
  };
}

function joseCode(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return 'expired';
  if (e instanceof joseErrors.JWTClaimValidationFailed) return `bad_${e.claim}`;
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (e instanceof joseErrors.JWKSNoMatchingKey) return 'unknown_key';
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return 'bad_alg';
  return 'invalid_token';
}

function describeJoseError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The verifier the configuration describes; null in local mode (no app id), where the dev identity is used. */
export function verifierFromConfig(config: Config): TokenVerifier | null {
  if (isLocalMode(config)) return null;
  const resource = ssoResource(config);
  const tenants = config.ALLOWED_TENANT_IDS.length ? config.ALLOWED_TENANT_IDS : config.MicrosoftAppTenantId ? [config.MicrosoftAppTenantId] : [];
  return createTokenVerifier({
    jwks: config.TAB_SSO_JWKS_URL,
    audiences: [resource ?? '', config.MicrosoftAppId ?? ''],
    allowedTenants: tenants,
  });
}

/** The development identity of local mode. */
export function devUser(config: Config): TabUser {
  return { aadObjectId: config.TAB_DEV_AAD_OBJECT_ID, tenantId: config.MicrosoftAppTenantId ?? 'local', name: 'Lokal udvikler', upn: null, dev: true };
}

/** "Bearer xyz" → "xyz". */
export function bearer(header: string | string[] | undefined): string {
  const h = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h ?? '');
  return m ? m[1] : '';
}

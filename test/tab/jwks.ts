import http from 'http';
import type { AddressInfo } from 'net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';

/**
 * A local stand-in for Entra's signing keys: an RSA key pair made here, published as a JWKS on loopback
 * (kid "test-key-1"), and a second key pair that is not published (for wrong signatures).
 */
export interface LocalJwks {
  url: string;
  keys: { privateKey: KeyLike; publicKey: KeyLike };
  otherKeys: { privateKey: KeyLike; publicKey: KeyLike };
  /** How many times the JWKS was fetched. */
  hits(): number;
  /** A Teams-like SSO access token (v1 issuer) for `tenant`, signed with the published key unless `key` is given. */
  token(claims: { aud: string; tid: string; oid?: string; scp?: string; name?: string }, o?: { key?: KeyLike; kid?: string; expiresIn?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalJwks(): Promise<LocalJwks> {
  const keys = await generateKeyPair('RS256');
  const otherKeys = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  return {
    url,
    keys,
    otherKeys,
    hits: () => hits,
    token: (c, o = {}) =>
      new SignJWT({ tid: c.tid, oid: c.oid, scp: c.scp ?? 'access_as_user', name: c.name, ver: '1.0' })
        .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'test-key-1', typ: 'JWT' })
        .setIssuer(`https://sts.windows.net/${c.tid}/`)
        .setAudience(c.aud)
        .setIssuedAt()
        .setExpirationTime(o.expiresIn ?? '1h')
        .sign(o.key ?? keys.privateKey),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

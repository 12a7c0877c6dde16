import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { OidcConfig } from '../config';
import { isScope, type Principal, type Scope } from './scopes';

/** Bounds on talking to the issuer: a slow or dead issuer makes requests 503, never hang. */
export const OIDC_FETCH_TIMEOUT_MS = 5000;
/** Signature algorithms accepted; `none` and HMAC (a shared secret is not an issuer's public key) never are. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 30;

/** jose's codes for a token that is not acceptable, as opposed to the issuer's keys not being reachable. */
const TOKEN_PROBLEMS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWS_INVALID',
  'ERR_JWT_INVALID',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWK_INVALID',
]);

export type JwtCheck =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: 'invalid-token' | 'issuer-unavailable'; readonly detail: string };

function describe(code: string): string {
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'The token has expired.';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return 'The token was not issued by the configured issuer for this audience, or is not valid yet.';
    default:
      return 'The token signature or format is not valid.';
  }
}

/** Scopes as RFC 9068 (`scope`, space-separated) or several providers (`scp`, an array) put them. */
function scopesOf(payload: JWTPayload): Set<Scope> {
  const raw = payload.scope ?? payload.scp;
  const listed = typeof raw === 'string' ? raw.split(' ') : Array.isArray(raw) ? raw : [];
  return new Set(listed.filter((s): s is Scope => typeof s === 'string' && isScope(s)));
}

/** Where the issuer's keys are: OIDC_JWKS_URL, else its discovery document's `jwks_uri` (checked to be its own). */
async function discoverJwksUrl(issuer: string): Promise<URL> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(OIDC_FETCH_TIMEOUT_MS),
    redirect: 'error',
  });
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (document.issuer !== issuer) throw new Error('the discovery document names another issuer');
  if (typeof document.jwks_uri !== 'string') throw new Error('the discovery document has no jwks_uri');
  return new URL(document.jwks_uri);
}

/** Verifies JWTs of one OpenID Connect issuer against its published keys (cached and refreshed by jose). */
export function oidcVerifier(config: OidcConfig): (token: string) => Promise<JwtCheck> {
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = () => {
    keys ??= (
      config.jwksUrl ? Promise.resolve(new URL(config.jwksUrl)) : discoverJwksUrl(config.issuer)
    ).then((url) => createRemoteJWKSet(url, { timeoutDuration: OIDC_FETCH_TIMEOUT_MS }));
    // A failed discovery is tried again on the next request rather than remembered.
    void keys.catch(() => (keys = undefined));
    return keys;
  };
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, await keySet(), {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      return { ok: true, principal: { kind: 'jwt', name: String(payload.sub), scopes: scopesOf(payload) } };
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && TOKEN_PROBLEMS.has(code)) {
        return { ok: false, reason: 'invalid-token', detail: describe(code) };
      }
      return {
        ok: false,
        reason: 'issuer-unavailable',
        detail: 'The token issuer cannot be reached to check the token. Retry later.',
      };
    }
  };
}

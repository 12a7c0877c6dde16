import type { RequestHandler, Response } from 'express';
import type { AuthConfig } from '../config';
import { isLoopbackHost, type OpsGuards } from '../http';
import type { Logger } from '../logger';
import { problem, sendProblem } from '../problem';
import { apiKeyPrincipal, looksLikeApiKey } from './api-keys';
import { oidcVerifier } from './oidc';
import type { Principal, Scope } from './scopes';

export const REALM = 'shop-pipeline';
/** RFC 6750 b64token, bounded so a huge header is refused before anything looks at it. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]{1,8192}=*)$/i;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export type AuthResult =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly status: 401 | 503; readonly detail: string };

/**
 * Turns a bearer token into the principal it stands for: an API key by its hash, at once (no promise, no turn of
 * the microtask queue per request), a JWT by its issuer's keys, which may have to be fetched.
 */
export interface Authenticator {
  authenticate(token: string): AuthResult | Promise<AuthResult>;
}

export function createAuthenticator(config: AuthConfig): Authenticator {
  const verifyJwt = config.oidc && oidcVerifier(config.oidc);
  const jwtResult = async (verify: NonNullable<typeof verifyJwt>, token: string): Promise<AuthResult> => {
    const checked = await verify(token);
    if (checked.ok) return checked;
    return { ok: false, status: checked.reason === 'invalid-token' ? 401 : 503, detail: checked.detail };
  };
  return {
    authenticate(token) {
      if (looksLikeApiKey(token)) {
        const principal = apiKeyPrincipal(config.apiKeys, token);
        return principal
          ? { ok: true, principal }
          : { ok: false, status: 401, detail: 'The API key is not valid.' };
      }
      if (verifyJwt && JWT_SHAPE.test(token)) return jwtResult(verifyJwt, token);
      return {
        ok: false,
        status: 401,
        detail: 'The bearer token is neither a valid API key nor a JWT we accept.',
      };
    },
  };
}

function challenge(error?: string, extra = ''): string {
  return `Bearer realm="${REALM}"${error ? `, error="${error}"` : ''}${extra}`;
}

const PRINCIPAL = 'principal';

export function principalOf(res: Response): Principal | undefined {
  return res.locals[PRINCIPAL] as Principal | undefined;
}

export function hasScope(res: Response, scope: Scope): boolean {
  return principalOf(res)?.scopes.has(scope) ?? false;
}

/** Every request it sees must carry `Authorization: Bearer <token>`; the principal goes to `res.locals`. */
export function authenticate(authenticator: Authenticator, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    if (header === undefined) {
      res.set('WWW-Authenticate', challenge());
      return sendProblem(
        res,
        problem(
          401,
          'unauthenticated',
          'Send a token as "Authorization: Bearer <token>" (an API key or a JWT).',
        ),
      );
    }
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) {
      res.set('WWW-Authenticate', challenge('invalid_request'));
      return sendProblem(
        res,
        problem(401, 'invalid-authorization', 'The Authorization header is not "Bearer <token>".'),
      );
    }
    const settle = (result: AuthResult): void => {
      if (result.ok) {
        res.locals[PRINCIPAL] = result.principal;
        return next();
      }
      if (result.status === 503) {
        logger.warn('token issuer unreachable; request refused');
        return sendProblem(res, problem(503, 'issuer-unavailable', result.detail));
      }
      res.set('WWW-Authenticate', challenge('invalid_token'));
      sendProblem(res, problem(401, 'invalid-token', result.detail));
    };
    const result = authenticator.authenticate(token);
    if (result instanceof Promise) result.then(settle, (error: unknown) => next(error));
    else settle(result);
  };
}

/** Lets the request through when its principal holds one of the scopes; 403 naming them otherwise. */
export function requireScope(...anyOf: readonly Scope[]): RequestHandler {
  return (_req, res, next) => {
    const principal = principalOf(res);
    if (principal && anyOf.some((scope) => principal.scopes.has(scope))) return next();
    if (!principal) {
      res.set('WWW-Authenticate', challenge());
      return sendProblem(res, problem(401, 'unauthenticated', 'Send "Authorization: Bearer <token>".'));
    }
    res.set('WWW-Authenticate', challenge('insufficient_scope', `, scope="${anyOf.join(' ')}"`));
    sendProblem(
      res,
      problem(
        403,
        'insufficient-scope',
        `This needs the scope ${anyOf.join(' or ')}, which the token lacks.`,
        {
          requiredScopes: anyOf,
        },
      ),
    );
  };
}

/**
 * `/ready` and `/metrics` need shop:admin; `/metrics` is open when the service listens on a loopback address
 * only (a local Prometheus agent scrapes it, nothing outside the machine can).
 */
export function opsGuards(authenticator: Authenticator, logger: Logger, host: string): OpsGuards {
  const admin = [authenticate(authenticator, logger), requireScope('shop:admin')];
  return { ready: admin, metrics: isLoopbackHost(host) ? [] : admin };
}

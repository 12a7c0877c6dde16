import helmet from 'helmet';
import type { RequestHandler } from 'express';
import { principalOf } from './auth/authenticate';
import { problem, sendProblem } from './problem';

/**
 * Security headers on every answer: a CSP that lets the UI load only its own scripts, styles and API, no framing,
 * nosniff, no referrer. The UI has no inline script or style, so nothing needs 'unsafe-inline'. HTTP only: TLS is
 * the job of whatever terminates it in front, so no upgrade-insecure-requests.
 */
export function securityHeaders(): RequestHandler {
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const edits = recordedHeaderEdits(middleware);
  if (edits === undefined) return middleware;
  return (_req, res, next) => {
    for (const edit of edits) {
      if (edit.value === undefined) res.removeHeader(edit.name);
      else res.setHeader(edit.name, edit.value);
    }
    next();
  };
}

interface HeaderEdit {
  readonly name: string;
  /** Undefined: the header is removed. */
  readonly value?: string;
}

/**
 * What helmet does to an answer, recorded once: with these options (no function directives, no nonces) every
 * answer gets the same headers, so each request replays them instead of going through helmet's dozen
 * middlewares. Undefined (helmet then runs per request) if helmet ever reads the request or calls back later.
 */
function recordedHeaderEdits(middleware: RequestHandler): readonly HeaderEdit[] | undefined {
  const edits: HeaderEdit[] = [];
  const res = {
    setHeader(name: string, value: unknown) {
      edits.push({ name, value: String(value) });
    },
    removeHeader(name: string) {
      edits.push({ name });
    },
  };
  const req = new Proxy(
    {},
    {
      get() {
        throw new Error('helmet read the request');
      },
    },
  );
  let done = false;
  try {
    middleware(
      req as Parameters<RequestHandler>[0],
      res as unknown as Parameters<RequestHandler>[1],
      (error?: unknown) => {
        done = error === undefined;
      },
    );
  } catch {
    return undefined;
  }
  return done ? edits : undefined;
}

/**
 * CORS: closed (no Access-Control-* headers at all) unless the origin is one of `origins` (CORS_ORIGINS). A
 * preflight from an allowed origin is answered here, before authentication, as browsers send it without a token.
 */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    // What res.vary('Origin') does, without parsing a Vary header that is not there yet.
    if (res.getHeader('Vary') === undefined) res.setHeader('Vary', 'Origin');
    else res.vary('Origin');
    if (origin === undefined || !allowed.has(origin)) return next();
    res.set('Access-Control-Allow-Origin', origin);
    res.set('Access-Control-Expose-Headers', 'Location, Retry-After, WWW-Authenticate');
    if (req.method !== 'OPTIONS') return next();
    res.set('Access-Control-Allow-Methods', 'GET, POST');
    res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key');
    res.set('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}

export interface RateLimitSettings {
  /** Requests per window and principal. */
  readonly limit: number;
  readonly windowMs: number;
}

/** One key's count in its current window. */
interface RateWindow {
  hits: number;
  resetAt: number;
}

/**
 * Hits per key in fixed windows, each starting at the key's first hit after the last one ended. A key without
 * hits for two windows is forgotten: two maps, the older dropped as each window's time passes.
 */
function fixedWindows(windowMs: number): (key: string, now: number) => RateWindow {
  let current = new Map<string, RateWindow>();
  let previous = new Map<string, RateWindow>();
  let rotateAt = 0;
  return (key, now) => {
    if (now >= rotateAt) {
      previous = current;
      current = new Map();
      rotateAt = now + windowMs;
    }
    let window = current.get(key);
    if (window === undefined) {
      window = previous.get(key) ?? { hits: 0, resetAt: now + windowMs };
      previous.delete(key);
      current.set(key, window);
    }
    if (window.resetAt <= now) {
      window.hits = 0;
      window.resetAt = now + windowMs;
    }
    window.hits++;
    return window;
  };
}

/**
 * Per authenticated principal (API key name or JWT subject): 429 problem+json with Retry-After past the limit.
 * Counted in this gateway process: N gateways behind a load balancer allow N times the limit. The headers are
 * IETF draft 7 (`RateLimit-Policy`, `RateLimit`), as express-rate-limit sent them before this took its place.
 */
export function perPrincipalRateLimit({ limit, windowMs }: RateLimitSettings): RequestHandler {
  const hit = fixedWindows(windowMs);
  const policy = `${limit};w=${Math.ceil(windowMs / 1000)}`;
  const refusal = problem(
    429,
    'rate-limited',
    `More than ${limit} requests in ${windowMs} ms for this key (INGEST_RATE_LIMIT); retry after the time in Retry-After.`,
    { limit: 'INGEST_RATE_LIMIT', max: limit, windowMs },
  );
  return (_req, res, next) => {
    const principal = principalOf(res);
    const now = Date.now();
    // The key is the principal, never the client address: what a proxy says about addresses does not matter.
    const window = hit(principal ? `${principal.kind}:${principal.name}` : 'anonymous', now);
    const resetSeconds = Math.max(0, Math.ceil((window.resetAt - now) / 1000));
    res.setHeader('RateLimit-Policy', policy);
    res.setHeader(
      'RateLimit',
      `limit=${limit}, remaining=${Math.max(limit - window.hits, 0)}, reset=${resetSeconds}`,
    );
    if (window.hits <= limit) return next();
    res.setHeader('Retry-After', String(resetSeconds));
    sendProblem(res, refusal);
  };
}

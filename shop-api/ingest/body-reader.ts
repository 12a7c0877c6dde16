import express, { type Request, type RequestHandler, type Response } from 'express';
import { isUtf8 } from 'node:buffer';
import { problem, ProblemError, sendProblem } from '../../lib/problem';
import { bodyFingerprint } from './input-publisher';
import { checkJsonLimits, type JsonLimits } from './json-limits';

/** The raw body's fingerprint, taken while parsing and only when an Idempotency-Key needs it. */
export const FINGERPRINT = Symbol('bodyFingerprint');
export type WithFingerprint = { [FINGERPRINT]?: string };

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;
const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/**
 * The body as RFC 8259 JSON: Content-Type JSON, UTF-8 only (no other charset; a UTF-7 or UTF-16 body is refused,
 * not decoded), bytes that are valid UTF-8 (else they would be stored with U+FFFD in their place), at most
 * `maxBodyBytes` after any Content-Encoding, and a shape within `limits`.
 */
export function jsonBodyReader(maxBodyBytes: number, limits: JsonLimits): RequestHandler[] {
  /** True when the media type is JSON in UTF-8; else the 415 is sent. */
  const mediaType = (req: Request, res: Response): boolean => {
    if (!req.is(JSON_MEDIA_TYPES)) {
      sendProblem(
        res,
        problem(
          415,
          'unsupported-media-type',
          'Send the shop data as JSON with Content-Type: application/json.',
        ),
      );
      return false;
    }
    const charset = CHARSET.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      sendProblem(
        res,
        problem(
          415,
          'unsupported-charset',
          'JSON must be UTF-8 (RFC 8259): leave out charset or send charset=utf-8.',
        ),
      );
      return false;
    }
    return true;
  };
  const parse = express.json({
    limit: maxBodyBytes,
    strict: false,
    type: () => true,
    verify: (req, _res, raw) => {
      // Checked in place: a fatal TextDecoder would build the whole string only to throw it away.
      if (!isUtf8(raw)) {
        throw new ProblemError(
          problem(400, 'invalid-utf8', 'The body is not valid UTF-8; nothing was stored.'),
        );
      }
      if (req.headers['idempotency-key'] !== undefined) {
        (req as WithFingerprint)[FINGERPRINT] = bodyFingerprint(raw);
      }
    },
  });
  /** The limit the parsed body breaks, as the problem to answer. */
  const shape = (body: unknown): ProblemError | undefined => {
    const breach = checkJsonLimits(body, limits);
    if (!breach) return undefined;
    const status = breach.limit === 'MAX_JSON_DEPTH' ? 400 : 413;
    return new ProblemError(
      problem(status, 'json-limit-exceeded', breach.detail, {
        limit: breach.limit,
        max: breach.max,
        path: breach.path,
      }),
    );
  };
  // One route layer for the three steps: each layer the router walks costs a dispatch per request.
  const read: RequestHandler = (req, res, next) => {
    if (!mediaType(req, res)) return;
    parse(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      // Called back from the body stream, outside the router's catch: whatever throws goes to `next`.
      let breach: ProblemError | undefined;
      try {
        breach = shape(req.body);
      } catch (thrown) {
        return next(thrown);
      }
      if (breach) next(breach);
      else next();
    });
  };
  return [read];
}

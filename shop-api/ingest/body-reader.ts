import express, { type RequestHandler } from 'express';
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
  const mediaType: RequestHandler = (req, res, next) => {
    if (!req.is(JSON_MEDIA_TYPES)) {
      return sendProblem(
        res,
        problem(
          415,
          'unsupported-media-type',
          'Send the shop data as JSON with Content-Type: application/json.',
        ),
      );
    }
    const charset = CHARSET.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return sendProblem(
        res,
        problem(
          415,
          'unsupported-charset',
          'JSON must be UTF-8 (RFC 8259): leave out charset or send charset=utf-8.',
        ),
      );
    }
    next();
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
  const shape: RequestHandler = (req, _res, next) => {
    const breach = checkJsonLimits(req.body, limits);
    if (!breach) return next();
    const status = breach.limit === 'MAX_JSON_DEPTH' ? 400 : 413;
    next(
      new ProblemError(
        problem(status, 'json-limit-exceeded', breach.detail, {
          limit: breach.limit,
          max: breach.max,
          path: breach.path,
        }),
      ),
    );
  };
  return [mediaType, parse, shape];
}

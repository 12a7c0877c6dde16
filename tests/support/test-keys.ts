import { randomBytes } from 'node:crypto';
import { apiKeyEntry, generateApiKey, parseApiKeys } from '../../lib/auth/api-keys';
import { createAuthenticator, type Authenticator } from '../../lib/auth/authenticate';
import { SCOPES, type Scope } from '../../lib/auth/scopes';
import type { OidcConfig } from '../../lib/config';

/**
 * API keys for tests, new for every test process: `all` holds every scope and is what the HTTP helpers send by
 * default; the others hold one scope (or two) each, for the specs that prove scopes are enforced.
 */
const KEY_SCOPES = {
  all: SCOPES,
  ingest: ['shop:ingest'],
  read: ['shop:read'],
  readPii: ['shop:read', 'shop:pii'],
  admin: ['shop:admin'],
} as const satisfies Record<string, readonly Scope[]>;

export type TestKeyName = keyof typeof KEY_SCOPES;

export const TEST_KEYS = Object.fromEntries(
  Object.keys(KEY_SCOPES).map((name) => [name, generateApiKey()]),
) as Record<TestKeyName, string>;

/** The API_KEYS value for service processes started by tests. */
export const TEST_API_KEYS = (Object.entries(KEY_SCOPES) as [TestKeyName, readonly Scope[]][])
  .map(([name, scopes]) => apiKeyEntry(`test-${name}`, TEST_KEYS[name], scopes))
  .join(';');

/** What the HTTP helpers send unless told otherwise. */
export const TEST_API_KEY = TEST_KEYS.all;

export function testAuthenticator(oidc?: OidcConfig): Authenticator {
  const parsed = parseApiKeys(TEST_API_KEYS);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return createAuthenticator({ apiKeys: parsed.keys, oidc });
}

/** A per-key ingest limit no spec reaches unless it means to. */
export const NO_RATE_LIMIT = { limit: 1_000_000, windowMs: 1000 } as const;

/** The master key of this test run: fresh every run, as a generated development key is. */
export const TEST_MASTER_KEY = randomBytes(32);
/** As PII_MASTER_KEY for service processes. */
export const TEST_MASTER_KEY_BASE64 = TEST_MASTER_KEY.toString('base64');

import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isScope, type Principal, type Scope } from './scopes';

/**
 * API keys for machine senders. A key is `shk_` + 32 random bytes (base64url); the configuration holds only its
 * SHA-256, so neither the environment nor a log line can give a key away. A 256-bit random key needs no slow
 * password hash: guessing one that matches a SHA-256 is out of reach.
 */
export const API_KEY_PREFIX = 'shk_';
const API_KEY_PATTERN = /^shk_[A-Za-z0-9_-]{43}$/;
const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const HASH_PATTERN = /^[0-9a-f]{64}$/;

export interface ApiKey {
  readonly name: string;
  readonly sha256: string;
  readonly scopes: readonly Scope[];
}

export const API_KEYS_EXPECTS =
  'entries name:sha256hex:scope… separated by ";" (scopes shop:ingest shop:read shop:pii shop:admin, space-separated)';

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** One API_KEYS entry for a key: what a deployment puts in its configuration. */
export function apiKeyEntry(name: string, key: string, scopes: readonly Scope[]): string {
  return `${name}:${hashApiKey(key)}:${scopes.join(' ')}`;
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** Parses API_KEYS; every problem names the entry by position (and name) but never shows a hash. */
export function parseApiKeys(spec: string): { ok: true; keys: ApiKey[] } | { ok: false; problems: string[] } {
  const keys: ApiKey[] = [];
  const problems: string[] = [];
  const entries = spec
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) problems.push('no entries');
  entries.forEach((entry, index) => {
    const [name = '', hash = '', ...rest] = entry.split(':');
    const where = `entry ${index + 1}${NAME_PATTERN.test(name) ? ` (${name})` : ''}`;
    const scopes = rest.join(':').split(/\s+/).filter(Boolean);
    if (!NAME_PATTERN.test(name)) problems.push(`${where}: the name must be 1-64 letters, digits, . _ -`);
    else if (keys.some((key) => key.name === name)) problems.push(`${where}: the name is used twice`);
    if (!HASH_PATTERN.test(hash.toLowerCase())) {
      problems.push(
        `${where}: the second part must be the key's SHA-256 in hex (64 characters)` +
          (looksLikeApiKey(hash) ? ', not the key itself' : ''),
      );
    }
    const unknown = scopes.filter((scope) => !isScope(scope));
    if (scopes.length === 0) problems.push(`${where}: give at least one scope`);
    if (unknown.length > 0) problems.push(`${where}: unknown scope ${unknown.join(', ')}`);
    keys.push({ name, sha256: hash.toLowerCase(), scopes: scopes.filter(isScope) });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, keys };
}

export const apiKeysSchema = z.string().transform((spec, context) => {
  const parsed = parseApiKeys(spec);
  if (parsed.ok) return parsed.keys;
  context.addIssue({ code: 'custom', message: parsed.problems.join('; ') });
  return z.NEVER;
});

interface ConfiguredKey {
  readonly sha256: Buffer;
  readonly principal: Principal;
}

/** Each configured key's hash as bytes and its principal, made once per key list rather than per request. */
const configured = new WeakMap<readonly ApiKey[], readonly ConfiguredKey[]>();

function configuredKeys(keys: readonly ApiKey[]): readonly ConfiguredKey[] {
  let entries = configured.get(keys);
  if (entries === undefined) {
    entries = keys.map((key) => ({
      sha256: Buffer.from(key.sha256, 'hex'),
      principal: { kind: 'api-key', name: key.name, scopes: new Set(key.scopes) },
    }));
    configured.set(keys, entries);
  }
  return entries;
}

/** The principal a presented key stands for; compares every configured hash in constant time. */
export function apiKeyPrincipal(keys: readonly ApiKey[], token: string): Principal | undefined {
  if (!API_KEY_PATTERN.test(token)) return undefined;
  // One-shot: no Hash object per request.
  const presented = hash('sha256', token, 'buffer');
  let found: ConfiguredKey | undefined;
  for (const key of configuredKeys(keys)) {
    if (timingSafeEqual(presented, key.sha256) && !found) found = key;
  }
  return found && { ...found.principal };
}

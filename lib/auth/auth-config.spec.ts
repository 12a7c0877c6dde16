import { ConfigError, loadAuthConfig, loadServiceConfig, SERVICE_SETTINGS } from '../config';
import { apiKeyEntry, apiKeyPrincipal, generateApiKey, hashApiKey, parseApiKeys } from './api-keys';

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('auth configuration', () => {
  const key = generateApiKey();

  it('reads API keys as hashes with scopes', () => {
    const config = loadAuthConfig({
      API_KEYS: `${apiKeyEntry('erp', key, ['shop:ingest'])}; ui:${'a'.repeat(64)}:shop:read shop:pii`,
    });
    expect(config.apiKeys).toEqual([
      { name: 'erp', sha256: hashApiKey(key), scopes: ['shop:ingest'] },
      { name: 'ui', sha256: 'a'.repeat(64), scopes: ['shop:read', 'shop:pii'] },
    ]);
    expect(apiKeyPrincipal(config.apiKeys, key)).toEqual({
      kind: 'api-key',
      name: 'erp',
      scopes: new Set(['shop:ingest']),
    });
    expect(apiKeyPrincipal(config.apiKeys, generateApiKey())).toBeUndefined();
  });

  it('stops the service naming API_KEYS when neither keys nor an issuer are configured', () => {
    expect(problemsOf(() => loadAuthConfig({}))).toEqual([
      expect.stringMatching(/^API_KEYS is missing: .*OIDC_ISSUER/),
    ]);
  });

  it('names the bad entry and never echoes the value, even a key pasted in by mistake', () => {
    const problems = problemsOf(() =>
      loadAuthConfig({ API_KEYS: `erp:${key}:shop:ingest;ops:${'b'.repeat(64)}:shop:root` }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^API_KEYS is malformed/);
    expect(problems[0]).toContain(
      "entry 1 (erp): the second part must be the key's SHA-256 in hex (64 characters), not the key itself",
    );
    expect(problems[0]).toContain('entry 2 (ops): unknown scope shop:root');
    expect(problems[0]).not.toContain(key);
    expect(problems[0]).not.toContain('b'.repeat(64));
  });

  it('needs an audience with an issuer, and an issuer for an audience', () => {
    expect(problemsOf(() => loadAuthConfig({ OIDC_ISSUER: 'https://login.example.com' }))).toEqual([
      expect.stringMatching(/^OIDC_AUDIENCE is missing/),
    ]);
    expect(
      problemsOf(() =>
        loadAuthConfig({ API_KEYS: apiKeyEntry('a', key, ['shop:read']), OIDC_AUDIENCE: 'x' }),
      ),
    ).toEqual([expect.stringMatching(/^OIDC_ISSUER is missing/)]);
    expect(problemsOf(() => loadAuthConfig({ OIDC_ISSUER: 'not a url', OIDC_AUDIENCE: 'x' }))).toEqual([
      expect.stringMatching(/^OIDC_ISSUER is malformed/),
    ]);
    expect(loadAuthConfig({ OIDC_ISSUER: 'https://login.example.com', OIDC_AUDIENCE: 'shop' })).toEqual({
      apiKeys: [],
      oidc: { issuer: 'https://login.example.com', audience: 'shop', jwksUrl: undefined },
    });
  });

  it("reports the auth problems together with the service's other settings", () => {
    const problems = problemsOf(() => loadServiceConfig(SERVICE_SETTINGS.shopApi, { PORT: 'x' }));
    expect(problems).toEqual([
      expect.stringMatching(/^PORT is malformed/),
      expect.stringMatching(/^PII_MASTER_KEY is missing/),
      expect.stringMatching(/^API_KEYS is missing/),
    ]);
  });

  it('refuses duplicate names and entries without scopes', () => {
    const parsed = parseApiKeys(`a:${'c'.repeat(64)}:shop:read;a:${'d'.repeat(64)}:`);
    expect(parsed).toEqual({
      ok: false,
      problems: ['entry 2 (a): the name is used twice', 'entry 2 (a): give at least one scope'],
    });
  });
});

import { hashApiKey, parseApiKeys } from '../../lib/auth/api-keys';
import { runToEnd } from './processes';

describe('npm run api-key', () => {
  it('prints a new key and an API_KEYS entry holding only its hash', async () => {
    const result = await runToEnd('scripts/api-key.ts', ['erp', 'shop:ingest', 'shop:read'], {});
    expect(result.code).toBe(0);
    const key = /key \(.*\): (shk_\S+)/.exec(result.stdout)?.[1] ?? '';
    const entry = /API_KEYS entry .*: (\S+ \S+)$/m.exec(result.stdout)?.[1] ?? '';
    expect(entry).toBe(`erp:${hashApiKey(key)}:shop:ingest shop:read`);
    expect(entry).not.toContain(key);
    expect(parseApiKeys(entry)).toMatchObject({ ok: true });
  });

  it('refuses an unknown scope', async () => {
    const result = await runToEnd('scripts/api-key.ts', ['erp', 'shop:everything'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown scope: shop:everything');
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCAL_MASTER_KEY_FILE = path.join('data', 'pii-master-key');

/**
 * The master key `npm start` gives the services when PII_MASTER_KEY is not set: generated once and kept beside
 * the local data, since the customer keys it wraps are useless without it. For development only.
 */
export function localMasterKey(root: string, announce: (text: string) => void): string {
  const file = path.join(root, LOCAL_MASTER_KEY_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  announce(
    `generated a development PII_MASTER_KEY in ${LOCAL_MASTER_KEY_FILE} (set your own in production)\n`,
  );
  return key;
}

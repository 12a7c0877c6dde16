import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Sealed } from '../../contracts/personal-data/sealed';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const ALGORITHM = 'aes-256-gcm';

/** A customer's data key with the id sealed values name it by. */
export interface CustomerKey {
  readonly kid: string;
  readonly key: Buffer;
}

/**
 * Seals a JSON value. The IV is synthetic (HMAC of the path and the plaintext under the key), so one value under
 * one key always seals to the same bytes: a redelivered order decides "same content" as before, and all an
 * observer learns is that two sealed values are equal.
 */
export function seal(value: unknown, path: string, { kid, key }: CustomerKey): Sealed {
  const plain = Buffer.from(JSON.stringify(value), 'utf8');
  const iv = createHmac('sha256', key).update(path).update('\0').update(plain).digest().subarray(0, IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(kid));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    $sealed: 'AES-256-GCM',
    kid,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** The value, or undefined when the key does not open it (another key, or tampered bytes). */
export function unseal(sealed: Sealed, { kid, key }: CustomerKey): unknown {
  if (sealed.kid !== kid) return undefined;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Wraps a data key under the master key for storage (random IV: stored keys need no determinism). */
export function wrapKey(dataKey: Buffer, masterKey: Buffer, kid: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, masterKey, iv);
  cipher.setAAD(Buffer.from(kid));
  const data = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64')).join('.');
}

export function unwrapKey(wrapped: string, masterKey: Buffer, kid: string): Buffer {
  const [iv = '', tag = '', data = ''] = wrapped.split('.');
  const decipher = createDecipheriv(ALGORITHM, masterKey, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(kid));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]);
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

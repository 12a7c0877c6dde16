// @ts-check
/* global crypto */

const ID_LENGTH = 8;
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/**
 * A fresh id for something this page creates (`o-k3x9p2ma`); ids are chosen by the sender in web/v1.
 * @param {'o' | 'p' | 's' | 'c'} prefix
 * @returns {string}
 */
export function newId(prefix) {
  const bytes = crypto.getRandomValues(new Uint8Array(ID_LENGTH));
  return `${prefix}-${Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('')}`;
}

const KEY_LENGTH = 20;

/** An Idempotency-Key for one send and its retries (random, so two clicks of the same form are two requests). */
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(KEY_LENGTH));
  return `web-${Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('')}`;
}

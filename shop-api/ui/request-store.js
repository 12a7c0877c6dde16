// @ts-check
/* global localStorage */

/**
 * The requests log kept in the browser's localStorage, so a reload shows what was sent and keeps following what
 * has no outcome yet. Only what the page itself sent is kept, at most MAX_SAVED entries, newest first.
 */

const STORAGE_KEY = 'shop-pipeline.requests.v1';
export const MAX_SAVED = 50;

/**
 * @typedef {import('./request-tracker.js').Tracked} Tracked
 * @typedef {Pick<Storage, 'getItem' | 'setItem'>} KeyValueStore
 */

/** @returns {KeyValueStore | undefined} undefined where storage is switched off (private modes, policies) */
export function browserStorage() {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

/** @param {unknown} value @returns {value is Tracked} */
function isTracked(value) {
  const entry = /** @type {Partial<Tracked> | null} */ (value);
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.status === 'string' &&
    typeof entry.detail === 'string' &&
    typeof entry.submission?.label === 'string' &&
    typeof entry.submission.applies === 'string' &&
    typeof entry.submission.key === 'string'
  );
}

/**
 * @param {KeyValueStore | undefined} storage
 * @returns {Tracked[]} newest first; anything unreadable is dropped rather than breaking the page
 */
export function loadEntries(storage) {
  try {
    const parsed = /** @type {unknown} */ (JSON.parse(storage?.getItem(STORAGE_KEY) ?? '[]'));
    return Array.isArray(parsed) ? parsed.filter(isTracked).slice(0, MAX_SAVED) : [];
  } catch {
    return [];
  }
}

/**
 * @param {KeyValueStore | undefined} storage
 * @param {readonly Tracked[]} entries newest first
 */
export function saveEntries(storage, entries) {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(entries.slice(0, MAX_SAVED)));
  } catch {
    // A full or refused storage only costs the log after a reload.
  }
}
